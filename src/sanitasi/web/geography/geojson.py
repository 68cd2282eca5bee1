"""Validation of an uploaded GeoJSON file of kelurahan/desa boundaries (pure: no database,
no files; the caller passes the bytes and the kelurahan/desa the boundaries may belong to).

The file must be a ``FeatureCollection`` whose features each carry a ``Polygon`` or
``MultiPolygon`` geometry (WGS 84 longitude/latitude, RFC 7946) and, in its ``properties``,
the Kemendagri kode of one kelurahan/desa of the city. Everything is checked before
anything is written; each problem names the feature (``features[i]``, counted from 0 as
in the file), its kode when known and the rule broken. The rules (``Problem.rule``):

=================  ===========================================================  =========
rule               meaning                                                      level
=================  ===========================================================  =========
``size``           the file is larger than :func:`max_bytes` (setting           error
                   ``SANITASI_GEOJSON_MAX_MB``, default 20 MB)
``depth``          arrays/objects nested deeper than :func:`max_depth`           error
                   (setting ``SANITASI_GEOJSON_MAX_DEPTH``, default 20; a
                   MultiPolygon file needs 8), checked before the JSON is parsed
``encoding``       the file is not UTF-8 text                                   error
``json``           not JSON (line and column of the first syntax error)         error
``collection``     the top level is not a ``FeatureCollection`` with a          error
                   ``features`` list, or the list is empty
``feature``        an item of ``features`` is not a ``Feature`` object          error
``no-geometry``    a feature without geometry (missing or ``null``)             error
``geometry-type``  geometry type other than ``Polygon``/``MultiPolygon``        error
``coordinates``    ``coordinates`` not nested as the type requires              error
``not-number``     a coordinate that is not a finite number                     error
``position``       a position with fewer than 2 or more than 3 numbers          error
``range``          longitude outside -180..180 or latitude outside -90..90      error
``ring-short``     a ring with fewer than 4 positions                           error
``ring-open``      a ring whose last position differs from its first            error
``no-kode``        no kode property (or an empty one)                           error
``unknown-kode``   the kode is not a kelurahan/desa of this city                error
``duplicate-kode`` the same kode in two features                                error
``status``         a ``status`` property outside sourced/derived/illustrative/  error
                   unverified
``source``         a ``source`` longer than 500 characters                      error
``outside``        a position outside Indonesia's bounding box                  warning
                   (:data:`INDONESIA_BBOX`): probably swapped or projected
                   coordinates, but saved
=================  ===========================================================  =========

Kode property: by default the first non-empty of :data:`KODE_PROPERTIES` (``kode``,
``kode_desa``, ``KDEPUM``, ``kd_desa``, the names used by Kemendagri and BIG exports);
the uploader may name another property instead. A kode of 10 digits without dots
(``1372011001``, as some exports write it) is read as ``13.72.01.1001``; numbers are read
as text. Source and status: a feature's own ``source``/``status`` properties win over the
values given for the whole upload.

Stored geometry: only ``type`` and ``coordinates`` (extra members such as ``bbox`` are
dropped; a third, elevation, coordinate is dropped). Ring orientation is kept as uploaded;
the chart code orients rings for drawing. Per feature, only the first position that
breaks a rule is described, with the number of further positions breaking it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from sanitasi.core.model import STATUSES
from sanitasi.reports.fmt import fmt_number

MB = 1024 * 1024
#: Largest accepted upload by default (setting ``SANITASI_GEOJSON_MAX_MB``).
MAX_BYTES = 20 * MB
#: Deepest nesting of arrays and objects accepted by default (``SANITASI_GEOJSON_MAX_DEPTH``):
#: a FeatureCollection of MultiPolygons nests 8 deep.
MAX_DEPTH = 20


def max_bytes() -> int:
    """The upload size limit: ``settings.SANITASI_GEOJSON_MAX_MB`` MB, else :data:`MAX_BYTES`."""
    from django.conf import settings

    mb = getattr(settings, "SANITASI_GEOJSON_MAX_MB", None)
    return MAX_BYTES if mb is None else int(float(mb) * MB)


def max_depth() -> int:
    from django.conf import settings

    return int(getattr(settings, "SANITASI_GEOJSON_MAX_DEPTH", MAX_DEPTH))


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in the JSON ``text`` (brackets inside strings do not
    count), without parsing it: strings are cut out, the brackets kept, and the depth is the
    largest running sum of opening (+1) and closing (-1) brackets (numpy, no recursion)."""
    import numpy as np

    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not brackets:
        return 0
    codes = np.frombuffer(brackets.encode("ascii"), dtype=np.uint8)
    steps = np.where((codes == ord("[")) | (codes == ord("{")), 1, -1)
    return int(np.cumsum(steps).max())


#: Property names tried, in this order, when the uploader names none.
KODE_PROPERTIES: tuple[str, ...] = ("kode", "kode_desa", "KDEPUM", "kd_desa")
#: Indonesia's bounding box (lon min, lat min, lon max, lat max), rounded outwards.
INDONESIA_BBOX: tuple[float, float, float, float] = (94.0, -11.0, 142.0, 6.5)
GEOMETRY_TYPES: tuple[str, ...] = ("Polygon", "MultiPolygon")
SOURCE_MAX = 500
DEFAULT_STATUS = "unverified"

ERROR = "error"
WARNING = "warning"

_DIGITS_KODE = re.compile(r"^\d{10}$")


@dataclass(frozen=True)
class Problem:
    """One broken rule: ``feature`` is the index in ``features`` (``None``: the whole
    file), ``message`` the translated sentence that names feature, kode and rule."""

    rule: str
    message: str
    feature: int | None = None
    kode: str = ""
    level: str = ERROR


@dataclass(frozen=True)
class Boundary:
    """A valid feature: the kelurahan/desa ``kode`` and its cleaned ``geometry``."""

    index: int
    kode: str
    geometry: dict[str, Any]
    positions: int
    source: str
    status: str


@dataclass
class Parsed:
    """The outcome of :func:`parse_boundaries`: save ``boundaries`` only when ``ok``."""

    boundaries: list[Boundary] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def normalize_kode(value: Any) -> str:
    """The kode as text: stripped; an integer (or integral float) as its digits; 10 digits
    without dots as the dotted Kemendagri form ``PP.KK.CC.DDDD``."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return str(value)
        value = int(value)
    text = str(value).strip()
    if _DIGITS_KODE.match(text):
        return f"{text[0:2]}.{text[2:4]}.{text[4:6]}.{text[6:10]}"
    return text


def count_positions(geometry: Mapping[str, Any] | None) -> int:
    """Number of positions of a (valid) Polygon/MultiPolygon geometry."""
    if not geometry:
        return 0
    coords = geometry.get("coordinates") or []
    polygons = coords if geometry.get("type") == "MultiPolygon" else [coords]
    return sum(len(ring) for poly in polygons for ring in poly)


def boundary_digest(geometry: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the audit log keeps of a geometry: its type, number of positions and the first
    16 hex digits of the SHA-256 of its canonical JSON (sorted keys, no spaces)."""
    if geometry is None:
        return None
    canonical = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
    return {
        "type": geometry.get("type"),
        "positions": count_positions(geometry),
        "sha256": hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16],
    }


def size_problem(size: int) -> Problem | None:
    """The ``size`` problem of a file of ``size`` bytes, or ``None``."""
    limit = max_bytes()
    if size <= limit:
        return None
    lang = "en" if (translation.get_language() or "id").startswith("en") else "id"
    return Problem(
        "size",
        _("The file has %(size)s MB; the limit is %(limit)s MB.")
        % {
            "size": fmt_number(size / MB, 1, lang),
            "limit": fmt_number(limit / MB, 1, lang),
        },
    )


# --------------------------------------------------------------------------- the checks


def _where(index: int, kode: str) -> str:
    if kode:
        return _("features[%(index)s] (kode %(kode)s)") % {"index": index, "kode": kode}
    return f"features[{index}]"


def _path(indices: tuple[int, ...]) -> str:
    return "coordinates" + "".join(f"[{i}]" for i in indices)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class _Feature:
    """Checks of one feature's geometry; collects the first position problem per rule."""

    def __init__(self) -> None:
        self.first: dict[str, str] = {}
        self.count: dict[str, int] = {}
        self.structure: list[str] = []
        self.positions = 0
        self.outside = 0
        self.first_outside = ""

    def _position_problem(self, rule: str, text: str) -> None:
        self.count[rule] = self.count.get(rule, 0) + 1
        self.first.setdefault(rule, text)

    def position(self, pos: Any, at: tuple[int, ...]) -> list[float] | None:
        self.positions += 1
        path = _path(at)
        if not isinstance(pos, list):
            self.structure.append(
                _("%(path)s should be a position [longitude, latitude], found %(value)s")
                % {"path": path, "value": _short(pos)}
            )
            return None
        if not 2 <= len(pos) <= 3:
            self._position_problem(
                "position",
                _("%(path)s has %(n)s numbers; a position has 2 (longitude, latitude) or 3")
                % {"path": path, "n": len(pos)},
            )
            return None
        bad = [v for v in pos if not _is_number(v)]
        if bad:
            self._position_problem(
                "not-number",
                _("%(path)s: %(value)s is not a finite number")
                % {"path": path, "value": _short(bad[0])},
            )
            return None
        lon, lat = float(pos[0]), float(pos[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self._position_problem(
                "range",
                _(
                    "%(path)s: longitude %(lon)s, latitude %(lat)s is outside "
                    "-180..180 / -90..90 (projected coordinates? use WGS 84 longitude/latitude)"
                )
                % {"path": path, "lon": lon, "lat": lat},
            )
            return None
        west, south, east, north = INDONESIA_BBOX
        if not (west <= lon <= east and south <= lat <= north):
            self.outside += 1
            if not self.first_outside:
                self.first_outside = f"{path} = [{lon}, {lat}]"
        return [lon, lat]

    def ring(self, ring: Any, at: tuple[int, ...]) -> list[list[float]] | None:
        path = _path(at)
        if not isinstance(ring, list):
            self.structure.append(
                _("%(path)s should be a ring (a list of positions), found %(value)s")
                % {"path": path, "value": _short(ring)}
            )
            return None
        cleaned = [self.position(p, (*at, i)) for i, p in enumerate(ring)]
        if len(ring) < 4:
            self._position_problem(
                "ring-short",
                _("%(path)s has %(n)s positions; a ring needs at least 4 (first = last)")
                % {"path": path, "n": len(ring)},
            )
            return None
        out = [p for p in cleaned if p is not None]
        if len(out) != len(ring):
            return None
        if out[0] != out[-1]:
            self._position_problem(
                "ring-open",
                _("%(path)s is not closed: first position %(first)s, last %(last)s")
                % {"path": path, "first": out[0], "last": out[-1]},
            )
            return None
        return out

    def polygon(self, poly: Any, at: tuple[int, ...]) -> list[list[list[float]]] | None:
        if not isinstance(poly, list) or not poly:
            self.structure.append(
                _("%(path)s should be a non-empty list of rings, found %(value)s")
                % {"path": _path(at), "value": _short(poly)}
            )
            return None
        rings = [self.ring(r, (*at, i)) for i, r in enumerate(poly)]
        if any(r is None for r in rings):
            return None
        return [r for r in rings if r is not None]

    def geometry(self, geometry: Mapping[str, Any]) -> dict[str, Any] | None:
        kind = geometry.get("type")
        coords = geometry.get("coordinates")
        if kind == "Polygon":
            poly = self.polygon(coords, ())
            return None if poly is None else {"type": kind, "coordinates": poly}
        if not isinstance(coords, list) or not coords:
            self.structure.append(
                _("coordinates should be a non-empty list of polygons, found %(value)s")
                % {"value": _short(coords)}
            )
            return None
        polys = [self.polygon(p, (i,)) for i, p in enumerate(coords)]
        if any(p is None for p in polys):
            return None
        return {"type": kind, "coordinates": polys}

    def problems(self, index: int, kode: str) -> tuple[list[Problem], list[Problem]]:
        where = _where(index, kode)
        errors = [
            Problem("coordinates", f"{where}: {text}", index, kode) for text in self.structure[:3]
        ]
        for rule, text in self.first.items():
            more = self.count[rule] - 1
            suffix = ""
            if more:
                suffix = " " + _("(and %(n)s more)") % {"n": more}
            errors.append(Problem(rule, f"{where}: {text}{suffix}", index, kode))
        warnings = []
        if self.outside:
            warnings.append(
                Problem(
                    "outside",
                    f"{where}: "
                    + _(
                        "%(n)s of %(total)s positions lie outside Indonesia "
                        "(longitude 94..142, latitude -11..6.5), e.g. %(first)s; "
                        "longitude and latitude swapped?"
                    )
                    % {"n": self.outside, "total": self.positions, "first": self.first_outside},
                    index,
                    kode,
                    WARNING,
                )
            )
        return errors, warnings


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    return text if len(text) <= 40 else text[:37] + "..."


def _kode_of(props: Mapping[str, Any], kode_property: str) -> tuple[str, str]:
    """(kode, property it came from); ("", "") when there is none."""
    names = (kode_property,) if kode_property else KODE_PROPERTIES
    for name in names:
        kode = normalize_kode(props.get(name))
        if kode:
            return kode, name
    return "", ""


def _text_property(props: Mapping[str, Any], name: str) -> str | None:
    value = props.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_boundaries(
    data: bytes | str,
    kelurahan: Mapping[str, str],
    *,
    kode_property: str = "",
    source: str = "",
    status: str = DEFAULT_STATUS,
) -> Parsed:
    """Check the GeoJSON ``data`` against the rules of the module docstring.

    ``kelurahan``: kode -> name of the kelurahan/desa that may receive a boundary (those of
    the city the user may change). ``kode_property``: the property holding the kode ("" =
    try :data:`KODE_PROPERTIES`). ``source``/``status``: defaults for features without
    their own. Returns every problem found; ``boundaries`` lists the valid features.
    """
    out = Parsed()
    if isinstance(data, bytes):
        too_big = size_problem(len(data))
        if too_big is not None:
            out.errors.append(too_big)
            return out
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            out.errors.append(
                Problem(
                    "encoding",
                    _("The file is not UTF-8 text (byte %(pos)s).") % {"pos": e.start + 1},
                )
            )
            return out
    else:
        text = data
        too_big = size_problem(len(text.encode("utf-8")))
        if too_big is not None:
            out.errors.append(too_big)
            return out
    depth = nesting_depth(text)
    if depth > max_depth():
        out.errors.append(
            Problem(
                "depth",
                _(
                    "Arrays and objects are nested %(depth)s deep; the limit is %(limit)s "
                    "(a FeatureCollection of MultiPolygons needs 8)."
                )
                % {"depth": depth, "limit": max_depth()},
            )
        )
        return out
    try:
        doc = json.loads(text)
    except RecursionError:  # not reached under the depth limit; never a 500
        out.errors.append(Problem("depth", _("The file is nested too deep.")))
        return out
    except json.JSONDecodeError as e:
        out.errors.append(
            Problem(
                "json",
                _("Not valid JSON: line %(line)s, column %(col)s: %(msg)s")
                % {"line": e.lineno, "col": e.colno, "msg": e.msg},
            )
        )
        return out
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        out.errors.append(
            Problem(
                "collection",
                _("The file is not a GeoJSON FeatureCollection (top-level type: %(type)s).")
                % {"type": _short(found)},
            )
        )
        return out
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        out.errors.append(
            Problem(
                "collection",
                _("The FeatureCollection has no features (a non-empty “features” list)."),
            )
        )
        return out
    if status not in STATUSES:
        status = DEFAULT_STATUS
    seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        _check_feature(out, index, feature, kelurahan, kode_property, source, status, seen)
    return out


def _check_feature(
    out: Parsed,
    index: int,
    feature: Any,
    kelurahan: Mapping[str, str],
    kode_property: str,
    source: str,
    status: str,
    seen: dict[str, int],
) -> None:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        found = feature.get("type") if isinstance(feature, dict) else type(feature).__name__
        out.errors.append(
            Problem(
                "feature",
                f"features[{index}]: "
                + _("not a GeoJSON Feature (type: %(type)s)") % {"type": _short(found)},
                index,
            )
        )
        return
    props = feature.get("properties")
    props = props if isinstance(props, dict) else {}
    kode, _name = _kode_of(props, kode_property)
    where = _where(index, kode)
    errors: list[Problem] = []
    if not kode:
        names = kode_property or ", ".join(KODE_PROPERTIES)
        errors.append(
            Problem(
                "no-kode",
                f"{where}: " + _("no kode (property %(names)s)") % {"names": names},
                index,
            )
        )
    elif kode not in kelurahan:
        errors.append(
            Problem(
                "unknown-kode",
                f"{where}: " + _("%(kode)s is not a kelurahan/desa of this city") % {"kode": kode},
                index,
                kode,
            )
        )
    elif kode in seen:
        errors.append(
            Problem(
                "duplicate-kode",
                f"{where}: "
                + _("kode %(kode)s already appears in features[%(first)s]")
                % {"kode": kode, "first": seen[kode]},
                index,
                kode,
            )
        )
    else:
        seen[kode] = index
    own_status = _text_property(props, "status")
    if own_status is not None and own_status not in STATUSES:
        errors.append(
            Problem(
                "status",
                f"{where}: "
                + _("status %(value)s is not one of %(allowed)s")
                % {"value": _short(own_status), "allowed": ", ".join(STATUSES)},
                index,
                kode,
            )
        )
    own_source = _text_property(props, "source")
    the_source = own_source if own_source is not None else source.strip()
    if len(the_source) > SOURCE_MAX:
        errors.append(
            Problem(
                "source",
                f"{where}: "
                + _("source has %(n)s characters; at most %(max)s")
                % {"n": len(the_source), "max": SOURCE_MAX},
                index,
                kode,
            )
        )
    geometry = feature.get("geometry")
    cleaned: dict[str, Any] | None = None
    if geometry is None:
        errors.append(Problem("no-geometry", f"{where}: " + _("no geometry"), index, kode))
    elif not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRY_TYPES:
        found = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        errors.append(
            Problem(
                "geometry-type",
                f"{where}: "
                + _("geometry type %(type)s; only Polygon and MultiPolygon are accepted")
                % {"type": _short(found)},
                index,
                kode,
            )
        )
    else:
        checker = _Feature()
        cleaned = checker.geometry(geometry)
        geo_errors, warnings = checker.problems(index, kode)
        errors.extend(geo_errors)
        out.warnings.extend(warnings)
        if cleaned is None and not geo_errors:  # defensive: a rejected geometry is named
            errors.append(Problem("coordinates", f"{where}: " + _("invalid coordinates"), index))
    out.errors.extend(errors)
    if not errors and cleaned is not None:
        out.boundaries.append(
            Boundary(
                index=index,
                kode=kode,
                geometry=cleaned,
                positions=count_positions(cleaned),
                source=the_source,
                status=own_status if own_status is not None else status,
            )
        )


__all__ = [
    "GEOMETRY_TYPES",
    "INDONESIA_BBOX",
    "KODE_PROPERTIES",
    "MAX_BYTES",
    "MAX_DEPTH",
    "max_bytes",
    "max_depth",
    "nesting_depth",
    "Boundary",
    "Parsed",
    "Problem",
    "boundary_digest",
    "count_positions",
    "normalize_kode",
    "parse_boundaries",
    "size_problem",
]
