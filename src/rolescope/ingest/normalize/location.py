"""Locations from job ads ("Santa Clara, CA,US,Remote", "Remote - United States", "Anywhere (LATAM)").

The text is split into parts on commas, semicolons, slashes, brackets, " - " and " or ". Remote
and filler words ("Remote", "TELECOMMUTE", "Only", "within", "Greater ... Area") are dropped from
each part, and the rest is looked up in the package gazetteer (``knowledge/countries.csv``,
``subdivisions.csv``, ``cities.csv``). Parts are read left to right as groups of
"city[, state][, country]":

- a country closes the group before it and overrides the group's guessed country
  ("Remote,Richmond, Australia" is Richmond in AU);
- a state or province name, or a US/Canadian two-letter code, attaches to the city before it
  ("San Francisco, CA" is California, "London, ON" is Ontario, Canada); after a known city a code
  equal to that city's country is the country ("Bengaluru, IN" is India, "Toronto, CA" Canada);
- a name that is both a state and something else is the state only right after a city of that
  state's country ("Atlanta, Georgia" is the US state; "Tbilisi, Georgia" and a lone "Georgia" the
  country; "New York" alone is the city);
- an unknown part starts a new city when a state follows it ("State College, PA"), is skipped as an
  unknown region when it sits inside a group ("Bengaluru, Karnataka, India"), and is dropped when
  nothing ever gives it a country.

A lone two-letter code is read as an ISO 3166 country code ("US", "GB", "DE"), except ``CA`` and
``IN``: written alone in an ad they as often mean California or Indiana, so they give no country.
``country_code_for`` is the function for code columns (the salary survey's ISO fields), where
``CA`` is Canada and ``IN`` India.

``scope`` names a region of the world when one is given: worldwide, europe, emea, latam, apac,
north_america, americas, africa, middle_east.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple

from rolescope.errors import DataError

_SCOPES = {
    "worldwide": (
        "worldwide",
        "world",
        "the world",
        "global",
        "globally",
        "globe",
        "the globe",
        "anywhere",
        "everywhere",
        "international",
        "earth",
    ),
    "europe": (
        "europe",
        "eu",
        "european union",
        "eea",
        "central europe",
        "western europe",
        "eastern europe",
        "continental europe",
        "dach",
        "nordics",
        "benelux",
    ),
    "emea": ("emea",),
    "latam": ("latam", "lat am", "latin america", "south america", "central america"),
    "apac": ("apac", "asia", "asia pacific", "southeast asia", "south east asia", "oceania"),
    "north_america": ("north america", "northern america"),
    "americas": ("americas", "the americas", "amer", "amers"),
    "africa": ("africa",),
    "middle_east": ("middle east", "mena"),
}
_SCOPE_NAMES = {name: scope for scope, names in _SCOPES.items() for name in names}
_SPLIT = re.compile(
    r"\s*(?:[,;:|/()\[\]\n•·]|\s[-–—]+\s|[-–—]\s|\s[-–—]|\s+or\s+|\s+and/or\s+|\s+\+\s+)\s*", re.IGNORECASE
)
_WORD_SPLIT = re.compile(r"[\s\-&+]+")
_FOLD_DROP = re.compile(r"[.'’`\U0001F1E6-\U0001F1FF]")  # dots, apostrophes, flag emoji
_FOLD_SPACE = re.compile(r"[\s_\-–—]+")
_REMOTE_MENTION = re.compile(r"remote|telecommut|work from home|\bwfh\b|anywhere|distributed", re.IGNORECASE)
_NOISE = re.compile(
    r"\b(?:remote(?:ly)?|telecommut(?:e|ing)|hybrid|on ?site|in office|office|only|within|based|friendly"
    r"|preferred|fully|first|wfh|work from home|from home|in|time ?zones?|location|locations|countries"
    r"|candidates|hq|headquarters|welcome|flexible|optional|all|across|greater|metropolitan|metro area"
    r"|metroplex|metro|area|region|100%?)\b"
)
_NOISE_ORIGINAL = re.compile(_NOISE.pattern.replace("on ?site", "on[ -]?site"), re.IGNORECASE)
_ANYWHERE_IN = re.compile(r"^anywhere(?: in| on)? (?=\S)")
_PREFIX_CODE = re.compile(r"^([A-Z]{2}) (\S.*)$")
_AMBIGUOUS_LONE_CODES = frozenset(("CA", "IN"))
_CODE_COUNTRIES = frozenset(("US", "CA"))  # only these countries' subdivision codes are read in text
_FILES = ("knowledge/countries.csv", "knowledge/subdivisions.csv", "knowledge/cities.csv")


@dataclass(frozen=True, slots=True)
class ParsedLocation:
    """Where a job is: one country when exactly one is meant, all countries named, and the details."""

    country_code: str | None = None
    country_codes: tuple[str, ...] = ()
    region: str | None = None
    city: str | None = None
    is_remote_mentioned: bool = False
    scope: str | None = None


class _Place(NamedTuple):
    kind: str  # "country" | "subdivision" | "city"
    country: str
    region: str | None = None
    city: str | None = None


class _Gazetteer(NamedTuple):
    names: dict[str, tuple[_Place, ...]]
    codes: dict[str, _Place]  # US and Canadian subdivision codes
    alpha2: frozenset[str]
    alpha3: dict[str, str]


_EMPTY = ParsedLocation()


def _fold(text: str) -> str:
    """Casefold, strip accents and dots, turn hyphens into spaces: the key of every gazetteer name."""
    text = text.casefold()
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _FOLD_SPACE.sub(" ", _FOLD_DROP.sub("", text)).strip()


@functools.lru_cache(maxsize=16_384)
def _key(text: str) -> str:
    """Folded text with remote and filler words removed ("Remote - US Only" -> "us")."""
    key = _ANYWHERE_IN.sub("", _fold(text))
    if key in _SCOPE_NAMES:
        return key
    return " ".join(_NOISE.sub(" ", key).split()).removeprefix("the ")


def _read_rows(path: str) -> list[dict[str, str]]:
    text = resources.files("rolescope").joinpath(path).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _check(ok: bool, path: str, line: int, row: dict[str, str], what: str) -> None:
    if not ok:
        raise DataError(f"{path} line {line}: {what}; got {row!r}", hint="fix the row in the package data")


def _add_names(names: dict[str, list[_Place]], place: _Place, *labels: str) -> None:
    for label in labels:
        for name in label.split("|"):
            # Stored under the same noise-stripped key the parser looks up ("SF Bay Area" -> "sf bay").
            for key in {_fold(name), _key(name)}:
                if key and place not in names.setdefault(key, []):
                    names[key].append(place)


@functools.lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Load the three place files once; rows are validated and errors name the file and line."""
    names: dict[str, list[_Place]] = {}
    countries, subdivisions, cities = (_read_rows(path) for path in _FILES)
    alpha2 = {row.get("code", "") for row in countries}
    alpha3: dict[str, str] = {}
    for line, row in enumerate(countries, start=2):
        _check(
            re.fullmatch(r"[A-Z]{2}", row.get("code") or "") is not None and bool(row.get("name")),
            _FILES[0],
            line,
            row,
            "code must be 2 capital letters and name must be set",
        )
        alpha3[row.get("alpha3") or ""] = row["code"]
        _add_names(names, _Place("country", row["code"]), row["name"], row.get("aliases") or "")
    codes: dict[str, _Place] = {}
    for line, row in enumerate(subdivisions, start=2):
        _check(
            row.get("country") in alpha2 and bool(row.get("code")) and bool(row.get("name")),
            _FILES[1],
            line,
            row,
            "country must be a code of countries.csv; code and name must be set",
        )
        place = _Place("subdivision", row["country"], row["code"])
        _add_names(names, place, row["name"], row.get("aliases") or "")
        if row["country"] in _CODE_COUNTRIES:
            codes[row["code"]] = place
    for line, row in enumerate(cities, start=2):
        _check(
            row.get("country") in alpha2 and bool(row.get("city")),
            _FILES[2],
            line,
            row,
            "country must be a code of countries.csv and city must be set",
        )
        place = _Place("city", row["country"], row.get("region") or None, row["city"])
        _add_names(names, place, row["city"], row.get("aliases") or "")
    frozen = {key: tuple(places) for key, places in names.items()}
    return _Gazetteer(frozen, codes, frozenset(alpha2), alpha3)


def _is_code(text: str) -> bool:
    return len(text) == 2 and text.isalpha() and text.isupper()


@dataclass(slots=True)
class _Group:
    """One "city[, state][, country]" run of parts being read."""

    country: str | None = None
    region: str | None = None
    city: str | None = None
    known: bool = False  # the city is in the gazetteer (its country is a guess until told otherwise)


@dataclass(slots=True)
class _Reader:
    gaz: _Gazetteer
    lone: bool = False
    countries: list[str] = field(default_factory=list)
    regions: list[tuple[str, str]] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    scope: str | None = None
    group: _Group | None = None

    def close(self) -> None:
        group, self.group = self.group, None
        if group is None or group.country is None:
            return  # an unknown name that nothing placed in a country
        self.countries.append(group.country)
        if group.region:
            self.regions.append((group.country, group.region))
        if group.city:
            self.cities.append(group.city)

    def feed(self, raw: str, next_raw: str | None) -> None:
        if (
            _is_code(raw)
            and raw.lower() not in _SCOPE_NAMES
            and not any(p.kind == "country" for p in self.gaz.names.get(raw.lower(), ()))
        ):
            self.code(raw)
            return
        key = _key(raw)
        if not key:
            return
        if key in _SCOPE_NAMES:
            if self.scope in (None, "worldwide"):  # "Anywhere (LATAM)": the named region is the scope
                self.scope = _SCOPE_NAMES[key]
        elif key in self.gaz.names:
            self.place(self.gaz.names[key])
        elif len(key) <= 3 and key.upper() in raw:  # "Remote MX", "AUS, Remote": a code among filler words
            self.short_code(key.upper())
        elif not self.prefixed_city(raw) and not self.words(raw):
            self.unknown(raw, next_raw)

    def code(self, code: str) -> None:
        group, subdivision = self.group, self.gaz.codes.get(code)
        if group is not None:
            if code in (group.region, group.country):
                return
            if subdivision is not None:  # "London, ON": the code beats the city's usual country
                group.country, group.region = subdivision.country, subdivision.region
            elif code in self.gaz.alpha2:
                group.country, group.region = code, None
                self.close()
        elif self.lone and code in self.gaz.alpha2 and code not in _AMBIGUOUS_LONE_CODES:
            self.countries.append(code)

    def short_code(self, code: str) -> None:
        if len(code) == 2:
            self.code(code) if self.group is not None or code in self.gaz.alpha2 else None
            if self.group is None and code in self.gaz.alpha2 and code not in _AMBIGUOUS_LONE_CODES:
                self.countries.append(code)
        elif code in self.gaz.alpha3:
            self.place((_Place("country", self.gaz.alpha3[code]),))

    def place(self, places: tuple[_Place, ...]) -> None:
        kinds = {p.kind: p for p in reversed(places)}
        city, subdivision, country = kinds.get("city"), kinds.get("subdivision"), kinds.get("country")
        group = self.group
        if (
            group is not None
            and subdivision is not None
            and not (
                country is not None
                and group.known
                and group.country == country.country != subdivision.country
            )
        ):
            group.country, group.region = subdivision.country, subdivision.region
        elif city is not None:
            self.close()
            self.group = _Group(city.country, city.region, city.city, known=True)
        elif country is not None:
            if group is None:
                self.countries.append(country.country)
                return
            if group.country != country.country:
                group.country, group.region = country.country, None
            self.close()
        elif subdivision is not None:  # a state named alone: "California", "Texas"
            self.close()
            self.group = _Group(subdivision.country, subdivision.region)
            self.close()

    def prefixed_city(self, raw: str) -> bool:
        """Workday-style "CA San Francisco", "ON Toronto": a region code in front of a known city."""
        match = _PREFIX_CODE.match(raw.strip())
        places = self.gaz.names.get(_key(match.group(2)), ()) if match else ()
        city = next((p for p in places if p.kind == "city"), None)
        if city is None:
            return False
        self.close()
        self.group = _Group(city.country, city.region, city.city, known=True)
        self.code(match.group(1))
        return True

    def words(self, raw: str) -> bool:
        """Read names written without separators ("Remote US Canada", "FL Tampa US", "US-IL-Remote").

        At most two words may stay unknown ("Shibuya City Tokyo Japan"); otherwise the part is left
        to ``unknown`` rather than guessed from one of its words.
        """
        tokens = [t for t in _WORD_SPLIT.split(raw.strip()) if t]
        pieces, unknown, i = [], 0, 0
        while i < len(tokens):
            for size in range(min(4, len(tokens) - i), 0, -1):
                piece = " ".join(tokens[i : i + size])
                key = _key(piece)
                if not key or key in self.gaz.names or key in _SCOPE_NAMES or _is_code(piece):
                    pieces.append(piece) if key else None
                    i += size
                    break
            else:
                unknown, i = unknown + 1, i + 1
        if len(tokens) < 2 or not pieces or unknown > 2:
            return False
        self.lone = False  # a code among several words is never a lone country code
        for piece, following in zip(pieces, [*pieces[1:], None], strict=True):
            self.feed(piece, following)
        return True

    def unknown(self, raw: str, next_raw: str | None) -> None:
        name = " ".join(_NOISE_ORIGINAL.sub(" ", raw).split())
        if not name or len(name.split()) > 4 or any(ch.isdigit() for ch in name):
            return
        if self.group is not None and not self.is_subdivision(next_raw):
            return  # "Bengaluru, Karnataka, India": an unknown region inside a group
        self.close()
        self.group = _Group(city=name)

    def is_subdivision(self, raw: str | None) -> bool:
        if raw is None:
            return False
        if _is_code(raw):
            return raw in self.gaz.codes
        return any(p.kind == "subdivision" for p in self.gaz.names.get(_key(raw), ()))

    def result(self, remote: bool) -> ParsedLocation:
        self.close()
        countries = tuple(dict.fromkeys(self.countries))
        one = countries[0] if len(countries) == 1 else None
        regions = set(self.regions)
        cities = set(self.cities)
        return ParsedLocation(
            country_code=one,
            country_codes=countries,
            region=next(iter(regions))[1] if one and len(regions) == 1 else None,
            city=next(iter(cities)) if one and len(cities) == 1 else None,
            is_remote_mentioned=remote,
            scope=self.scope,
        )


@functools.lru_cache(maxsize=8_192)
def _parse(text: str) -> ParsedLocation:
    parts = [p for p in _SPLIT.split(text) if p and p.strip()]
    # "lone": only one part says anything beyond remote/filler words ("ES", "Remote, ES").
    reader = _Reader(_gazetteer(), lone=sum(1 for p in parts if _key(p)) == 1)
    for part, following in zip(parts, [*parts[1:], None], strict=True):
        reader.feed(part.strip(), following.strip() if following else None)
    return reader.result(bool(_REMOTE_MENTION.search(text)))


def parse_location(text: str | None) -> ParsedLocation:
    """Parse a free-text job location into countries, region, city, remote mention and world scope.

    Results are cached per distinct text (locations repeat a lot: 17k postings have 2.2k values).

    Examples
    --------
    >>> parse_location("San Francisco, CA")
    ParsedLocation(country_code='US', country_codes=('US',), region='CA', city='San Francisco', \
is_remote_mentioned=False, scope=None)
    >>> parse_location("Canada,United States").country_codes
    ('CA', 'US')
    >>> parse_location("Anywhere (LATAM)").scope
    'latam'
    """
    if not text or not text.strip():
        return _EMPTY
    return _parse(text.strip())


def country_code_for(name_or_code: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code for a code column or a country name; ``None`` if it is not a country.

    Two letters are read as an alpha-2 code and must exist (``IN`` is India, ``CA`` Canada here),
    three as alpha-3; anything else is looked up as a name or alias ("UK", "Deutschland").

    Examples
    --------
    >>> country_code_for("gb"), country_code_for("DEU"), country_code_for("United States of America")
    ('GB', 'DE', 'US')
    >>> country_code_for("XX") is None
    True
    """
    if not name_or_code or not str(name_or_code).strip():
        return None
    text, gaz = str(name_or_code).strip(), _gazetteer()
    if len(text) == 2 and text.isalpha() and text.upper() in gaz.alpha2:
        return text.upper()
    if len(text) == 3 and text.isalpha() and text.upper() in gaz.alpha3:
        return gaz.alpha3[text.upper()]
    countries = {p.country for p in gaz.names.get(_fold(text), ()) if p.kind == "country"}
    return countries.pop() if len(countries) == 1 else None
