"""Helpers every ``sanitasi`` command shares: the console, the report of bad input (exit code
2), option parsing and the staged writing of reports (a temporary folder beside ``--out``,
moved into it only when every file was written: nothing is left in ``--out`` on failure).

Every command module of :mod:`sanitasi.cli` imports this one and none imports another
command module, so the CLI modules have no import cycle.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

import click
from rich.console import Console
from rich.markup import escape

EXIT_BAD_INPUT = 2
LANGS = ("id", "en")
CITY_HELP = "City folder (docs/city-data.md). Default: the Kota Solok demo."


def console() -> Console:
    """The terminal (120 columns when not a terminal, for stable output in files and tests).

    Markup is off: user text (a path, an agency code, a city name with ``[``) is printed as
    written, never read as rich markup; the few fixed styled lines pass ``markup=True`` and
    escape what they embed (``rich.markup.escape``)."""
    return Console(width=120 if not sys.stdout.isatty() else None, highlight=False, markup=False)


def print_written(out: Console, path: object) -> None:
    """The line a command prints for a file it wrote: a green arrow, then the path as written
    (escaped, never read as markup)."""
    out.print(f"[green]\u2192[/] {escape(str(path))}", markup=True)


def parse_params(values: Sequence[str]) -> dict[str, str]:
    """``--param NAME=VALUE`` options as a mapping (``click.BadParameter`` without ``=``)."""
    out: dict[str, str] = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: use NAME=VALUE", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val.strip()
    return out


def parse_date(value: str | None) -> dt.date | None:
    """``--as-of YYYY-MM-DD`` (``click.BadParameter`` when not an ISO date)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r}: use YYYY-MM-DD", param_hint="--as-of") from None


def report_problems(console: Console, problems: Sequence[object], lang: str) -> None:
    """Print every problem (code and message in ``lang``), each once."""
    seen: set[tuple[object, ...]] = set()
    unique = []
    for p in problems:
        key = tuple(getattr(p, k, None) for k in ("code", "file", "row", "column", "value")) or (
            id(p),
        )
        if key not in seen:
            seen.add(key)
            unique.append(p)
    problems = unique
    title = "Masukan tidak valid" if lang == "id" else "Invalid input"
    console.print(f"[bold red]{title}: {len(problems)} masalah/problems[/]", markup=True)
    for p in problems:
        code = getattr(p, "code", "")
        message = getattr(p, "message", None)
        msg = message(lang) if callable(message) else str(p)
        console.print("  [red]•[/] ", end="", markup=True)
        console.print(f"{code} {msg}", soft_wrap=True, markup=False)


def fail(console: Console, problems: Sequence[object], lang: str) -> NoReturn:
    """Report every problem and exit with code 2."""
    report_problems(console, problems, lang)
    raise SystemExit(EXIT_BAD_INPUT)


def fail_message(console: Console, text: str) -> NoReturn:
    """Print ``text`` in red and exit with code 2."""
    console.print(f"[red]{escape(text)}[/]", soft_wrap=True, markup=True)
    raise SystemExit(EXIT_BAD_INPUT)


def fail_app(console: Console, error: object, lang: str) -> NoReturn:
    """A refused request (:class:`sanitasi.app.errors.AppError`): its message, then the input
    problems behind it (if any); exit code 2."""
    message = getattr(error, "message", None)
    text = message(lang) if callable(message) else str(error)
    problems = tuple(getattr(error, "problems", ()))
    if not problems:
        fail_message(console, text)
    console.print(text, soft_wrap=True, markup=False)
    fail(console, problems, lang)


def move_into(tmp: Path, out: Path) -> list[Path]:
    """Move every file of ``tmp`` into ``out`` (created if needed); return the new paths."""
    out.mkdir(parents=True, exist_ok=True)
    moved = []
    for f in sorted(tmp.iterdir()):
        dest = out / f.name
        if dest.is_dir():
            shutil.rmtree(dest)
        shutil.move(str(f), str(dest))
        moved.append(dest)
    return moved


def run_staged(out: Path | None, work: Callable[[Path | None], None]) -> list[Path]:
    """Run ``work(tmp)`` (write reports into ``tmp``, then anything that may still fail) and
    move the files into ``out`` only when it returns; the temp folder is always removed.
    Without ``out``, ``work(None)`` runs and nothing is written."""
    if out is None:
        work(None)
        return []
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".sanitasi-", dir=out.parent))
    try:
        work(tmp)
        return move_into(tmp, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_staged(out: Path, *writers: Callable[[Path], object]) -> list[Path]:
    """Run each writer into a temporary folder beside ``out``, then move the files into
    ``out``; on any failure nothing is left in (or beside) ``out``."""

    def work(tmp: Path | None) -> None:
        assert tmp is not None
        for write in writers:
            write(tmp)

    return run_staged(out, work)


__all__ = [
    "CITY_HELP",
    "EXIT_BAD_INPUT",
    "LANGS",
    "console",
    "fail",
    "fail_app",
    "fail_message",
    "move_into",
    "parse_date",
    "parse_params",
    "report_problems",
    "run_staged",
    "write_staged",
]
