"""Location parsing, table-driven with values taken from the shared postings and titles data."""

from __future__ import annotations

import csv

import pytest

from rolescope.ingest.normalize import ParsedLocation, country_code_for, parse_location

# (text, country_code, country_codes, region, city, remote mentioned, scope); all occur in shared/data.
CASES = [
    ("United States", "US", ("US",), None, None, False, None),
    ("Remote", None, (), None, None, True, None),
    ("US,Remote", "US", ("US",), None, None, True, None),
    ("Remote,US", "US", ("US",), None, None, True, None),
    ("USA", "US", ("US",), None, None, False, None),
    ("remote,Remote", None, (), None, None, True, None),
    ("United States (Remote)", "US", ("US",), None, None, True, None),
    ("Canada,United States", None, ("CA", "US"), None, None, False, None),
    ("Remote - United States", "US", ("US",), None, None, True, None),
    ("San Francisco, CA", "US", ("US",), "CA", "San Francisco", False, None),
    ("New York, NY", "US", ("US",), "NY", "New York", False, None),
    ("Berkeley Heights, NJ", "US", ("US",), "NJ", "Berkeley Heights", False, None),
    ("New Haven, CT", "US", ("US",), "CT", "New Haven", False, None),
    ("Anywhere in the World", None, (), None, None, True, "worldwide"),
    ("Remote Europe", None, (), None, None, True, "europe"),
    ("remote,Delhi", "IN", ("IN",), None, "Delhi", True, None),
    ("Anywhere (LATAM)", None, (), None, None, True, "latam"),
    ("Remote,Richmond, Australia", "AU", ("AU",), None, "Richmond", True, None),
    ("CANADA - Remote, UNITED STATES - Remote", None, ("CA", "US"), None, None, True, None),
    ("Santa Clara, CA,US,Remote", "US", ("US",), "CA", "Santa Clara", True, None),
    ("New York, Seattle, US Remote", "US", ("US",), None, None, True, None),
    ("Remote; New York City; or State College, PA", "US", ("US",), None, None, True, None),
    ("US", "US", ("US",), None, None, False, None),
    ("GB", "GB", ("GB",), None, None, False, None),
    ("DE", "DE", ("DE",), None, None, False, None),
    ("CA", None, (), None, None, False, None),
    ("Bengaluru", "IN", ("IN",), None, "Bengaluru", False, None),
    ("London", "GB", ("GB",), "ENG", "London", False, None),
    ("Toronto", "CA", ("CA",), "ON", "Toronto", False, None),
    ("Berlin", "DE", ("DE",), None, "Berlin", False, None),
    ("Remote,Strasbourg, France", "FR", ("FR",), None, "Strasbourg", True, None),
    ("London, England, United Kingdom", "GB", ("GB",), "ENG", "London", False, None),
    ("London, Ontario, Canada", "CA", ("CA",), "ON", "London", False, None),
    ("Toronto, Ontario, Canada", "CA", ("CA",), "ON", "Toronto", False, None),
    ("Sydney, New South Wales, Australia", "AU", ("AU",), "NSW", "Sydney", False, None),
    ("TELECOMMUTE Atlanta, Georgia, United States", "US", ("US",), "GA", "Atlanta", True, None),
    ("Tbilisi, Georgia,Remote", "GE", ("GE",), None, "Tbilisi", True, None),
    ("Armenia,Georgia,Portugal,Serbia", None, ("AM", "GE", "PT", "RS"), None, None, False, None),
    ("Indianapolis, IN,US,Remote", "US", ("US",), "IN", "Indianapolis", True, None),
    ("remote,Bengaluru, IN", "IN", ("IN",), None, "Bengaluru", True, None),
    ("Dover, DE", "US", ("US",), "DE", "Dover", False, None),
    ("CA San Francisco, California, United States", "US", ("US",), "CA", "San Francisco", False, None),
    ("Washington, D.C.,US,Remote", "US", ("US",), "DC", "Washington", True, None),
    ("San Francisco Bay Area", "US", ("US",), "CA", "San Francisco", False, None),
    ("New York City Metropolitan Area", "US", ("US",), "NY", "New York", False, None),
    ("Dallas-Fort Worth Metroplex", "US", ("US",), "TX", "Dallas", False, None),
    ("Greater Houston", "US", ("US",), "TX", "Houston", False, None),
    ("TELECOMMUTE São Paulo, State of São Paulo, Brazil", "BR", ("BR",), None, "São Paulo", True, None),
    ("Bengaluru, Karnataka, India", "IN", ("IN",), None, "Bengaluru", False, None),
    (
        "Quezon City, National Capital Region, Philippines, Philippines",
        "PH",
        ("PH",),
        None,
        "Quezon City",
        False,
        None,
    ),
    ("Taiwan, Taipei", "TW", ("TW",), None, "Taipei", False, None),
    ("Massachusetts - Boston", "US", ("US",), "MA", "Boston", False, None),
    ("San Francisco-Hybrid", "US", ("US",), "CA", "San Francisco", False, None),
    ("Remote, anywhere in LATAM", None, (), None, None, True, "latam"),
    ("Remote (anywhere on the globe)", None, (), None, None, True, "worldwide"),
    ("Remote,EMEA", None, (), None, None, True, "emea"),
    ("remote,APAC", None, (), None, None, True, "apac"),
    ("North America Only", None, (), None, None, False, "north_america"),
    ("US + Canada Only", None, ("US", "CA"), None, None, False, None),
    ("Remote US Canada", None, ("US", "CA"), None, None, True, None),
    ("Remote within US", "US", ("US",), None, None, True, None),
    ("Remote (U.S.)", "US", ("US",), None, None, True, None),
    ("Türkiye - Remote", "TR", ("TR",), None, None, True, None),
    ("Viet Nam", "VN", ("VN",), None, None, False, None),
    ("Remote,Kraków, Poland", "PL", ("PL",), None, "Kraków", True, None),
    ("remote,Krakow", "PL", ("PL",), None, "Kraków", True, None),
    ("remote,Remote (PT)", "PT", ("PT",), None, None, True, None),
    ("FL Tampa US", "US", ("US",), "FL", "Tampa", False, None),
    ("remote,Philippines: Metro Manila", "PH", ("PH",), None, "Manila", True, None),
    ("State College-DuBois Area", None, (), None, None, False, None),
    ("", None, (), None, None, False, None),
    (None, None, (), None, None, False, None),
]


@pytest.mark.parametrize(("text", "code", "codes", "region", "city", "remote", "scope"), CASES)
def test_parse_location_real_values(text, code, codes, region, city, remote, scope):
    assert parse_location(text) == ParsedLocation(code, codes, region, city, remote, scope)


def test_long_country_lists_keep_every_country():
    text = (
        "Albania,Andorra,Austria,Bonaire, Sint Eustatius and Saba,Holy See (Vatican City State),"
        "Falkland Islands (Malvinas),Åland Islands"
    )
    result = parse_location(text)
    assert result.country_code is None
    assert result.country_codes == ("AL", "AD", "AT", "BQ", "VA", "FK", "AX")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("US", "US"),
        ("gb", "GB"),
        ("DE", "DE"),
        ("IN", "IN"),
        ("CA", "CA"),
        ("DEU", "DE"),
        ("UK", "GB"),
        ("United States of America", "US"),
        ("Deutschland", "DE"),
        ("Viet Nam", "VN"),
        ("XX", None),
        ("", None),
        (None, None),
        ("Remote", None),
        ("EU", None),
    ],
)
def test_country_code_for_code_columns_and_names(value, expected):
    assert country_code_for(value) == expected


# --- all real values -------------------------------------------------------------------------------


@pytest.mark.slow
def test_every_real_posting_location_parses_and_coverage_holds(real_postings):
    """Measured on 11,377 non-empty posting locations: 83.9% resolve to exactly one country, 88.7% to
    at least one; 3.8% name only a world region and 7.4% say only "Remote" (nothing to resolve)."""
    results = [parse_location(v) for v in (p.get("location") for p in real_postings) if v]
    n = len(results)
    assert n > 11_000
    assert sum(r.country_code is not None for r in results) / n >= 0.83
    assert sum(bool(r.country_codes) for r in results) / n >= 0.88
    unexplained = [r for r in results if not r.country_codes and not r.scope and not r.is_remote_mentioned]
    assert len(unexplained) / n <= 0.002


@pytest.mark.slow
def test_every_titles_file_location_resolves(shared_data):
    """Measured on the 12,217 LinkedIn titles-file locations ("New Haven, CT", "Toronto, Ontario,
    Canada", "Greater Houston"): 99.8% resolve to one country."""
    with open(shared_data / "titles" / "job_postings.csv", encoding="utf-8") as handle:
        values = [row["job_location"] for row in csv.DictReader(handle)]
    results = [parse_location(v) for v in values]
    assert sum(r.country_code is not None for r in results) / len(results) >= 0.995


@pytest.mark.slow
def test_every_survey_country_code_is_valid(shared_data):
    with open(shared_data / "salaries" / "aijobs_salaries.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    codes = {r["employee_residence"] for r in rows} | {r["company_location"] for r in rows}
    assert all(country_code_for(c) == c for c in codes), sorted(c for c in codes if country_code_for(c) != c)
