"""``python -m sanitasi.cli``: the ``sanitasi`` command."""

from sanitasi.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
