"""Format detection and mapping, on the schema fixtures and on the real shared files."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rolescope.errors import InvalidInput, NotFound
from rolescope.models import BadRecord, RawRecord
from rolescope.sources import detect_format, resolve_field_map


@pytest.mark.parametrize(
    ("name", "container", "fmt"),
    [
        ("jobspy_sample.csv", "csv", "jobspy"),
        ("greenhouse_board.json", "json", "greenhouse"),
        ("lever_postings.json", "json", "lever"),
        ("salaries_bad_rows.csv", "csv", "aijobs-salaries"),
        ("postings_mixed.jsonl", "jsonl", "postings"),
    ],
)
def test_detects_each_fixture_format(fixtures: Path, name: str, container: str, fmt: str) -> None:
    src = detect_format(fixtures / name)
    assert (src.container, src.format.name) == (container, fmt)


def test_detects_real_shared_files(shared_data: Path) -> None:
    assert detect_format(shared_data / "salaries" / "aijobs_salaries.csv").format.name == "aijobs-salaries"
    for path in sorted((shared_data / "postings").glob("*.jsonl.gz")):
        src = detect_format(path)
        assert (src.container, src.format.name) == ("jsonl", "postings"), path.name


def test_jobspy_mapping_keeps_structured_pay(fixtures: Path) -> None:
    records = list(detect_format(fixtures / "jobspy_sample.csv").iter_records())
    first = records[0]
    assert isinstance(first, RawRecord) and first.line == 2
    assert first.fields["source"] == "jobspy:indeed"
    assert (first.fields["salary_min"], first.fields["salary_max"], first.fields["salary_period"]) == (
        "150000",
        "190000",
        "year",
    )
    assert records[1].fields["salary_period"] == "hour"


def test_greenhouse_mapping_reads_html_and_pay(fixtures: Path) -> None:
    first = next(iter(detect_format(fixtures / "greenhouse_board.json").iter_records()))
    assert first.fields["company"] == "Examplary Labs"
    assert first.fields["location"] == "New York, NY"
    assert "&lt;strong&gt;feature store" in first.fields["description_html"]
    assert (first.fields["salary_min"], first.fields["salary_max"]) == (175000.0, 210000.0)


def test_lever_mapping_company_from_url_and_bad_record(fixtures: Path) -> None:
    good, bad = list(detect_format(fixtures / "lever_postings.json").iter_records())
    assert good.fields["company"] == "samplecorp"
    assert good.fields["employment_type"] == "Full-time"
    assert "Requirements" in good.fields["description_html"]
    assert isinstance(bad, BadRecord) and "no 'text'" in bad.reason


def test_jsonl_bad_lines_become_bad_records(fixtures: Path) -> None:
    records = list(detect_format(fixtures / "postings_mixed.jsonl").iter_records())
    bad = {r.line: r.reason for r in records if isinstance(r, BadRecord)}
    assert bad[2].startswith("not valid JSON")
    assert bad[6] == "expected a JSON object, found list"


def test_csv_short_row_is_a_bad_record(fixtures: Path) -> None:
    records = list(detect_format(fixtures / "salaries_bad_rows.csv").iter_records())
    bad = [r for r in records if isinstance(r, BadRecord)]
    assert [(b.line, b.reason) for b in bad] == [(9, "expected 11 fields, found 6")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        (b"a,b,c\n1,2,3\n", "could not recognise the format"),
        (b'{"hello": "world"}\n', "could not recognise the format"),
    ],
)
def test_unreadable_inputs_raise_one_line_errors(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as info:
        detect_format(path)
    assert message in info.value.one_line()
    assert "\n" not in info.value.one_line()


def test_corrupt_gzip_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    with pytest.raises(InvalidInput, match="not a readable gzip file"):
        detect_format(path)


def test_truncated_gzip_fails_while_reading(tmp_path: Path) -> None:
    payload = "\n".join(
        json.dumps({"title": f"t{i}", "description": "x" * 200, "source_id": str(i)}) for i in range(3000)
    ).encode()
    whole = gzip.compress(payload)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    src = detect_format(path)
    with pytest.raises(InvalidInput, match="truncated or corrupt"):
        list(src.iter_records())


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        detect_format(tmp_path / "nope.csv")
    with pytest.raises(InvalidInput, match="is a directory"):
        detect_format(tmp_path)


def test_field_map_lets_unknown_columns_through(tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_text("job_name,body,where\nML Engineer,Train models in PyTorch,Paris\n")
    src = detect_format(
        path, field_map=resolve_field_map(["title=job_name", "description=body", "location=where"])
    )
    record = next(iter(src.iter_records()))
    assert src.format.name == "postings"
    assert (record.fields["title"], record.fields["location"]) == ("ML Engineer", "Paris")


@pytest.mark.parametrize("pair", ["title", "=col", "colour=col", "title="])
def test_bad_map_pairs_are_rejected(pair: str) -> None:
    with pytest.raises(InvalidInput):
        resolve_field_map([pair])


def test_map_to_missing_column_is_rejected(fixtures: Path) -> None:
    with pytest.raises(InvalidInput, match="does not have"):
        detect_format(fixtures / "jobspy_sample.csv", field_map={"title": "no_such_column"})


def test_invalid_utf8_line_is_quarantined_not_fatal(tmp_path: Path) -> None:
    good = json.dumps({"title": "AI Engineer", "description": "d", "source_id": "1"}).encode()
    bad = b'{"title": "Caf\xe9", "description": "d", "source_id": "2"}'
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(good + b"\n" + bad + b"\n" + good + b"\n")
    records = list(detect_format(path).iter_records())
    assert [type(r).__name__ for r in records] == ["RawRecord", "BadRecord", "RawRecord"]
    assert records[1].reason == "invalid UTF-8 bytes"


def test_parquet_is_streamed(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "title": ["AI Engineer", "Data Engineer"],
            "description": ["LLM apps", "Pipelines"],
            "source_id": ["a", "b"],
            "posted_at": ["2025-01-02", "2025-02"],
        }
    )
    path = tmp_path / "postings.parquet"
    pq.write_table(table, path)
    src = detect_format(path)
    assert (src.container, src.format.name) == ("parquet", "postings")
    assert [r.fields["title"] for r in src.iter_records()] == ["AI Engineer", "Data Engineer"]
