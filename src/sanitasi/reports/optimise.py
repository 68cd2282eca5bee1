"""Terminal tables of ``sanitasi optimise`` (docs/METHOD.md §18.3): any result table as a
rich table, headers in the report language (the English ones are the issue's), codes
translated by the label helpers, numbers formatted the Indonesian or English way."""

from __future__ import annotations

from rich.table import Table as RichTable

from sanitasi.core.model import Table
from sanitasi.reports.fmt import fmt_value
from sanitasi.reports.i18n import CODE_COLUMNS, code_label, unit_label
from sanitasi.reports.terminal import rich_table

#: Rows of a table shown in the terminal before the rest is left to the files.
MAX_ROWS = 40


def terminal_table(table: Table, lang: str = "id", max_rows: int = MAX_ROWS) -> RichTable:
    """``table`` as a rich table (the first ``max_rows`` rows; the title says how many)."""
    df = table.df
    title = table.title(lang)
    if len(df) > max_rows:
        more = f" ({max_rows}/{len(df)})"
        title += more
        df = df.head(max_rows)
    out = rich_table(title)
    cols = [str(c) for c in df.columns]
    for c in cols:
        meta = table.columns.get(c)
        numeric = meta is not None and meta.kind not in ("text", "year")
        out.add_column(table.label(c, lang), justify="right" if numeric else "left")
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(cols, rec, strict=True):
            meta = table.columns.get(c)
            kind = meta.kind if meta is not None else "float"
            if c == "unit":
                cells.append(unit_label(str(v), lang))
            elif c in CODE_COLUMNS or c == "indicator":
                cells.append(code_label(c, v, lang))
            else:
                cells.append(fmt_value(v, kind, lang, decimals=2 if kind == "float" else 1))
        out.add_row(*cells)
    return out


__all__ = ["MAX_ROWS", "terminal_table"]
