"""The ``sanitasi`` command (entry point ``sanitasi.cli:main``; ``python -m sanitasi.cli``).

The group is assembled here from the command modules, which import only
:mod:`sanitasi.cli.common` (shared helpers) and never each other, so the CLI has no import
cycle:

* :mod:`sanitasi.cli.commands` -- ``plan``, ``monitor``, ``agency-brief``,
  ``export-template``, ``import``, ``load``, ``serve``, ``bench national``;
* :mod:`sanitasi.cli.instruments` -- ``risk``, ``sfd``, ``survey``, ``bench survey``;
* :mod:`sanitasi.cli.ghg` -- ``ghg fod``;
* :mod:`sanitasi.cli.document` -- ``document`` (the SSK document, ssk.docx and ssk.pdf);
* :mod:`sanitasi.cli.scenarios` -- ``scenarios``, ``uncertainty``;
* :mod:`sanitasi.cli.reminders` -- ``reminders``, ``summaries`` (web database chores);
* :mod:`sanitasi.cli.optimise` -- ``optimise`` (the funding-constrained plan, HiGHS);
* :mod:`sanitasi.cli.backup` -- ``backup``, ``restore`` (database + media archive).

The commands parse options, call the use-case layer (:mod:`sanitasi.app`), print and write.
"""

from __future__ import annotations

import click

from sanitasi.cli import (
    backup,
    commands,
    document,
    ghg,
    instruments,
    optimise,
    reminders,
    scenarios,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sanitasi")
def main() -> None:
    """Sanitasi: SSK planning and monitoring (air limbah domestik dan persampahan)."""
    from sanitasi.runtime import freeze_imports, tune_allocator

    tune_allocator()
    freeze_imports("cli")


for _command in (
    *commands.COMMANDS,
    *instruments.COMMANDS,
    *ghg.COMMANDS,
    *document.COMMANDS,
    *scenarios.COMMANDS,
    *reminders.COMMANDS,
    *optimise.COMMANDS,
    *backup.COMMANDS,
):
    main.add_command(_command)
commands.bench.add_command(instruments.bench_survey)

__all__ = ["main"]
