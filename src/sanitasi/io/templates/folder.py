"""What a template is made from: a city folder read leniently (regions, agencies and the
file of the template's kind), and a CSV file's rows as records."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from sanitasi.io import city_tables as ct
from sanitasi.io import programme_tables as pt
from sanitasi.io.csvfiles import CsvText, read_csv_text
from sanitasi.io.reference import demo_city_dir, wilayah_index
from sanitasi.io.tables import parse_csv, read_bytes


@dataclass(frozen=True)
class _Folder:
    """What a template needs from a city folder (read leniently: a template can be exported
    from a folder with errors, so that they can be fixed in the workbook)."""

    city: str
    city_name: str
    regions: tuple[tuple[str, str, str], ...]
    agencies: tuple[tuple[str, str, str, str], ...]
    programme: CsvText | None
    realisation: CsvText | None
    years: tuple[int, ...]

    def activities(self) -> list[dict[str, str]]:
        """Programme rows as column -> text (stripped), in file order."""
        if self.programme is None:
            return []
        cols = self.programme.columns
        return [
            {c: v.strip() for c, v in zip(cols, row, strict=True)} for row in self.programme.rows
        ]

    def units(self) -> list[str]:
        return sorted({a.get("output_unit", "") for a in self.activities()} - {""})


def _folder_of(city_dir: Path | str | None) -> Traversable:
    return demo_city_dir() if city_dir is None else Path(city_dir)


def _read_export_folder(folder: Traversable) -> _Folder:
    wil = wilayah_index()
    regions: list[tuple[str, str, str]] = []
    city, city_name = "", ""
    location = folder / ct.REGIONS
    data, _ = read_bytes(location, ct.REGIONS) if location.is_file() else (None, [])
    if data is not None:
        df, _ = parse_csv(data, ct.REGIONS)
        if df is not None and {"kode", "tingkat"} <= set(df.columns):
            parsed = ct.parse_regions(df, wil)
            city = parsed.city or ""
            done = ct.complete_regions(parsed.df, wil)
            inside = done["kode"].eq(city) | ct.kabkota_of(done["kode"]).eq(city)
            done = done[inside & done["kode"].ne("")]
            regions = list(zip(done["kode"], done["nama"], done["tingkat"], strict=True))
            city_name = next((n for k, n, _ in regions if k == city), "")
    agencies: list[tuple[str, str, str, str]] = []
    location = folder / pt.AGENCIES
    data, _ = read_bytes(location, pt.AGENCIES) if location.is_file() else (None, [])
    if data is not None:
        df, _ = parse_csv(data, pt.AGENCIES)
        if df is not None and "code" in df.columns:
            for rec in df.to_dict("records"):
                if rec["code"]:
                    agencies.append(
                        (
                            str(rec["code"]),
                            str(rec.get("name_id", "")),
                            str(rec.get("name_en", "")),
                            str(rec.get("kind", "")),
                        )
                    )
    programme = _csv_or_none(folder, pt.PROGRAMME)
    realisation = _csv_or_none(folder, pt.REALISATION)
    years: tuple[int, ...] = ()
    if programme is not None:
        years, _ = pt.planned_years(programme.columns, pt.PROGRAMME)
    return _Folder(
        city,
        city_name,
        tuple(regions),
        tuple(agencies),
        programme,
        realisation,
        years,
    )


def _csv_or_none(folder: Traversable, name: str) -> CsvText | None:
    location = folder / name
    if not location.is_file():
        return None
    text, _ = read_csv_text(Path(str(location)), name)
    return text


def _records(old: CsvText | None) -> list[dict[str, str]]:
    if old is None:
        return []
    return [dict(zip(old.columns, row, strict=True)) for row in old.rows]
