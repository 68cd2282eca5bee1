"""Django's manage.py for Sanitasi: ``python -m sanitasi.web.manage <command>``.

E.g. ``migrate``, ``createsuperuser``, ``load_city --demo``, ``demo_logins``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanitasi.web.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv if argv is None else ["sanitasi.web.manage", *argv]
    execute_from_command_line(args)


if __name__ == "__main__":  # pragma: no cover
    main()
