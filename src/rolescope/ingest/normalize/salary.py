"""Pay figures from free text ("USD 117k~234k", "€60-100k", "$45.00 - $65.00 usd hourly") and numbers.

How a salary text is read:

1. Amounts: digits with thousands separators (``1,000``, European ``1.000``, ``12 000``, Indian
   ``12,34,567``), decimals, and ``k`` / ``m`` / ``b`` / lakh / crore suffixes. A suffix on the upper
   bound is shared with a bare lower bound (``$180-$250k`` is 180k-250k), and ``$10-15,000`` is
   10,000-15,000. Ordinals ("13th salary"), percentages and "401k" are not amounts.
2. The first amount, and the next one when only a range word sits between them (``-`` ``–`` ``~``
   ``to`` ``up to`` ``/``, possibly with currency or period words around it), make the range.
   "up to X" gives only a maximum, "X+" / "from X" only a minimum.
3. Currency: the first explicit marker in or right after that range (``CAD $`` , ``€``, ``PLN``,
   ``R$``, ``lakhs``...), else ``$`` means USD, else the first marker anywhere, else
   ``default_currency``. ``¥`` is read as JPY unless CNY/RMB/yuan is written.
4. Period: the first period phrase (``/yr``, ``per hour``, ``a year``, ``monthly``, ``p.a.``...).
   When none is written it is inferred from the size of the larger bound, in US dollars when the
   currency is known: below 10 it is not pay (HN headers cut "$3M seed" down to "$3"); below 500
   hourly (contract rates in the HN data run $30-$250/h); 500-1,000 unclear (a day or week rate;
   left unset); 1,000-20,000 monthly (the "$5k", "$8k" HN figures and Polish/Brazilian monthly
   pay); 20,000 and up yearly. Checked on the shared postings: of the figures whose period *is*
   written, 197 of 198 yearly ones are 20,000 USD or more, all 30 hourly ones are under 500 (the
   highest is 130), and 27 of 30 monthly ones fall between 500 and 20,000.
5. US dollars a year: amount x periods per year (2080 hours, 260 days, 52 weeks, 12 months) / the
   yearly average rate of ``fx_rates.csv``. A result below 1,000 or above 5,000,000 USD a year is
   not believable (a funding round, a perk, a wrong period): the raw amounts stay, the USD fields are
   ``None`` and ``note`` says why.

Texts that state no pay give ``None``: "Competitive", "$Competitive base salary", "~0k", "$0",
perks ("$150/month dogfooding budget", "$1500 towards IT set up"), and a bare number under 1,000
with no currency, suffix or period ("hmo on day 1").
"""

from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

from rolescope.errors import DataError

PERIODS_PER_YEAR = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 260.0, "hour": 2080.0}
MIN_USD_ANNUAL = 1_000.0
MAX_USD_ANNUAL = 5_000_000.0
NOT_PAY_BELOW = 10.0
HOURLY_BELOW = 500.0
UNCLEAR_BELOW = 1_000.0
MONTHLY_BELOW = 20_000.0
FX_FILE = "knowledge/fx_rates.csv"


@dataclass(frozen=True, slots=True)
class ParsedSalary:
    """A pay figure read from text: raw amounts, currency, period, and US dollars a year."""

    min_amount: float | None
    max_amount: float | None
    currency: str | None
    period: str | None
    min_usd_annual: float | None
    max_usd_annual: float | None
    note: str | None = None


class _Amount(NamedTuple):
    value: float
    has_suffix: bool
    multiplier: float
    start: int
    end: int


_SUFFIXES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mil": 1e6,
    "million": 1e6,
    "b": 1e9,
    "lakh": 1e5,
    "lakhs": 1e5,
    "lac": 1e5,
    "lacs": 1e5,
    "crore": 1e7,
    "crores": 1e7,
}
_AMOUNT = re.compile(
    r"(?<![\d.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{2})+,\d{3}"
    r"|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d+(?:[.,]\d+)?)"
    r"(?:\s?(?P<suffix>[kKmMbB](?![a-zA-Z])|lakhs?|lacs?|crores?|mil\b|million|thousand))?"
    r"(?!\d|\s?(?:th|st|nd|rd)\b|\s?%)"
)
# Every currency of fx_rates.csv plus a few more that ads use; "try" is left to the cased pattern.
_CODES = (
    *("usd", "eur", "gbp", "cad", "aud", "nzd", "inr", "jpy", "chf", "sek", "nok", "dkk", "pln", "brl"),
    *("mxn", "sgd", "hkd", "zar", "ils", "cny", "krw", "czk", "huf", "ron", "php", "cop", "ars", "clp"),
    *("uah", "ngn", "egp", "thb", "idr", "myr", "vnd", "pkr", "aed", "sar", "twd", "kes", "qar", "kwd"),
    *("bgn", "isk", "pen", "uyu", "rub", "bdt", "lkr", "ghs", "mad", "tnd", "dop", "crc", "gel", "kzt"),
    *("bhd", "omr", "jod", "rsd"),
)
_CURRENCY = re.compile(
    r"(?P<prefixed>(?:US|U\.S\.|CA|CAN|C|AU|A|NZ|SG|S|HK|R|MX)\$)"
    r"|(?P<symbol>[$€£¥₹₱₩₪₺₫฿₦₴]|zł)"
    r"|(?<![A-Za-z])(?P<code>(?i:" + "|".join(_CODES) + r"))(?![A-Za-z])"
    r"|(?<![A-Za-z])(?P<cased>CAN|TRY|RM(?=\s?\d)|Rs\.?(?=\s?\d))(?![a-z])"
    r"|\b(?P<word>(?i:euros?|pounds?|dollars?|rupees?|lakhs?|lacs?|crores?|reais|yuan|rmb|yen|lei|zlotys?))\b"
)
_TOKEN_CURRENCY = {
    "US$": "USD",
    "U.S.$": "USD",
    "CA$": "CAD",
    "CAN$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "SG$": "SGD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₱": "PHP",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₫": "VND",
    "฿": "THB",
    "₦": "NGN",
    "₴": "UAH",
    "ZŁ": "PLN",
    "CAN": "CAD",
    "RM": "MYR",
    "RS": "INR",
    "RS.": "INR",
    "EURO": "EUR",
    "EUROS": "EUR",
    "POUND": "GBP",
    "POUNDS": "GBP",
    "RUPEE": "INR",
    "RUPEES": "INR",
    "LAKH": "INR",
    "LAKHS": "INR",
    "LAC": "INR",
    "LACS": "INR",
    "CRORE": "INR",
    "CRORES": "INR",
    "REAIS": "BRL",
    "YUAN": "CNY",
    "RMB": "CNY",
    "YEN": "JPY",
    "LEI": "RON",
    "ZLOTY": "PLN",
    "ZLOTYS": "PLN",
}
_WEAK_DOLLAR = frozenset(("$", "DOLLAR", "DOLLARS"))
_PERIOD = re.compile(
    r"(?:/|\bper\b|\ba\b|\ban\b)\s*(?P<unit>hours?|hrs?|days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?|annum)\b"
    r"|(?:/|\bp/?)(?P<letter>[hdwmy])\b|(?P<pa>\bp\.a\.|\bpa\b)"
    r"|\b(?P<adverb>hourly|daily|weekly|bi-?weekly|monthly|yearly|annually|annual|annum)\b",
    re.IGNORECASE,
)
_PERIOD_WORD = {
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "hour": "hour",
    "hours": "hour",
    "hourly": "hour",
    "d": "day",
    "day": "day",
    "days": "day",
    "daily": "day",
    "w": "week",
    "wk": "week",
    "wks": "week",
    "week": "week",
    "weeks": "week",
    "weekly": "week",
    "m": "month",
    "mo": "month",
    "mos": "month",
    "mth": "month",
    "mths": "month",
    "month": "month",
    "months": "month",
    "monthly": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "year": "year",
    "years": "year",
    "yearly": "year",
    "annum": "year",
    "annually": "year",
    "annual": "year",
}
# Words that may sit between the two bounds of a range without breaking it.
_GAP_FILLER = re.compile(
    r"(?:us|ca|can|c|au|a|nz|sg|s|hk|r|mx)?\$|[€£¥₹₱₩₪₺₫฿₦₴]|zł|\b(?:" + "|".join(_CODES) + r")\b"
    r"|/\s*[a-z]+|\bper\s+[a-z]+|\ban?\s+(?:year|hour|month)\b|\b(?:gross|net|base|annually|yearly|monthly"
    r"|hourly|high|max|mid|euros?|dollars?|lakhs?)\b|:",
    re.IGNORECASE,
)
_RANGE_WORDS = frozenset(("-", "–", "—", "~", "to", "upto", "-upto", "~upto", "/", "and", "–upto", "—upto"))
_MAX_ONLY = re.compile(r"(?:up\s*to|upto|max(?:imum)?|under|below|less\s+than)\W*$", re.IGNORECASE)
_MIN_ONLY = re.compile(r"(?:from|min(?:imum)?|at\s+least|starting(?:\s+at)?|over|more\s+than)\W*$", re.I)
_PERK_AFTER = re.compile(
    r"[^.;]{0,30}?\b(?:budget|stipend|allowance|reimburse\w*|towards?|funding|raised|seed|series\s+[a-f]"
    r"|valuation|arr|revenue|groceries|set\s*up)\b",
    re.IGNORECASE,
)
_YEN_AS_CNY = re.compile(r"\b(?:cny|rmb|yuan)\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def _fx_table() -> dict[str, dict[int, float]]:
    """Load ``fx_rates.csv`` once: currency -> {year: units per USD}. Rows are validated on load."""
    text = resources.files("rolescope").joinpath(FX_FILE).read_text(encoding="utf-8")
    table: dict[str, dict[int, float]] = {}
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            currency = row["currency"].strip().upper()
            year, rate = int(row["year"]), float(row["units_per_usd"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataError(f"{FX_FILE} line {line} is not a valid rate row: {row!r}") from exc
        if len(currency) != 3 or not rate > 0 or row.get("status") not in ("final", "provisional"):
            raise DataError(
                f"{FX_FILE} line {line} has a bad currency, rate or status: {row!r}",
                hint="currency is a 3-letter code, units_per_usd > 0, status is final or provisional",
            )
        table.setdefault(currency, {})[year] = rate
    return table


@functools.lru_cache(maxsize=1)
def _latest_final_year() -> int:
    text = resources.files("rolescope").joinpath(FX_FILE).read_text(encoding="utf-8")
    return max(int(row["year"]) for row in csv.DictReader(text.splitlines()) if row["status"] == "final")


def to_usd(amount: float, currency: str | None, year: int | None = None) -> float | None:
    """Convert an amount to US dollars with the yearly average rate of ``fx_rates.csv``.

    The rate of ``year`` is used, or of the nearest year in the table when ``year`` is outside it;
    with no year, the latest year whose rates are final. ``None`` for an unknown currency.

    Examples
    --------
    >>> round(to_usd(100_000, "EUR", 2023))
    108167
    >>> to_usd(50, "XYZ", 2024) is None
    True
    """
    if amount is None or not currency:
        return None
    rates = _fx_table().get(currency.strip().upper())
    if not rates:
        return None
    wanted = _latest_final_year() if year is None else int(year)
    rate = rates.get(wanted)
    if rate is None:
        rate = rates[min(rates, key=lambda y: (abs(y - wanted), -y))]
    return amount / rate


def annualize(amount: float, period: str) -> float:
    """Scale an amount paid per ``period`` to a year: 2080 hours, 260 days, 52 weeks, 12 months.

    Examples
    --------
    >>> annualize(50, "hour"), annualize(8_000, "month")
    (104000.0, 96000.0)
    """
    try:
        return amount * PERIODS_PER_YEAR[period]
    except KeyError:
        raise ValueError(f"period must be one of {', '.join(PERIODS_PER_YEAR)}; got {period!r}") from None


def parse_amount(value: object) -> float | None:
    """Read a numeric column ("120000", "120,000.00", 120000.0, "$95k") as a float; ``None`` if empty.

    Examples
    --------
    >>> parse_amount("120,000.00"), parse_amount(120000), parse_amount(""), parse_amount("0")
    (120000.0, 120000.0, None, 0.0)
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().lstrip("$€£")
    if not text or text.lower() in ("nan", "none", "null", "n/a", "na"):
        return None
    try:
        number = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        amounts = _find_amounts(text)
        return amounts[0].value * amounts[0].multiplier if len(amounts) == 1 else None
    return number if math.isfinite(number) else None


def _number(raw: str) -> float:
    """Digits with separators -> float. The last ``.``/``,`` is decimal unless 3 digits follow it."""
    raw = re.sub(r"[ \u00a0\u202f]", "", raw)
    last = max(raw.rfind("."), raw.rfind(","))
    if last == -1:
        return float(raw)
    decimals = raw[last + 1 :]
    separators = raw.count(".") + raw.count(",")
    if len(decimals) == 3 and ((separators > 1 and raw[last] in raw[:last]) or separators == 1):
        return float(re.sub(r"[.,]", "", raw))  # 1,000 / 1.000 / 1,000,000: thousands only
    return float(re.sub(r"[.,]", "", raw[:last]) + "." + decimals)


def _find_amounts(text: str) -> list[_Amount]:
    amounts = []
    for match in _AMOUNT.finditer(text):
        raw, suffix = match.group("num"), match.group("suffix")
        following = text[match.end("num") : match.end("num") + 3].lstrip("( ").lower()
        if raw == "401" and following.startswith("k"):
            continue  # a 401(k) retirement plan, not "401 thousand"
        multiplier = _SUFFIXES[suffix.lower()] if suffix else 1.0
        amounts.append(_Amount(_number(raw), bool(suffix), multiplier, match.start(), match.end()))
    return amounts


def _first_range(text: str, amounts: list[_Amount]) -> tuple[float | None, float | None, int]:
    """The first amount and, when a range word joins them, the second: (low, high, end offset)."""
    first = amounts[0]
    low_value = first.value * first.multiplier
    if len(amounts) > 1:
        second = amounts[1]
        gap = _GAP_FILLER.sub("", text[first.end : second.start])
        if re.sub(r"\s+", "", gap).lower() in _RANGE_WORDS:
            high_value = second.value * second.multiplier
            if not first.has_suffix and second.has_suffix and first.value <= second.value:
                low_value = first.value * second.multiplier  # "$180-$250k" -> 180k-250k
            elif not second.has_suffix and low_value < 1_000 <= high_value >= low_value * 1_000:
                low_value *= 1_000  # "$10-15,000/month" -> 10,000-15,000
            elif first.has_suffix and not second.has_suffix and second.value >= first.value:
                high_value = second.value * first.multiplier  # "$150k-200" -> 150k-200k
            return low_value, high_value, second.end
    before, after = text[: first.start], text[first.end : first.end + 2]
    if _MAX_ONLY.search(before):
        return None, low_value, first.end
    if after.startswith("+") or _MIN_ONLY.search(before):
        return low_value, None, first.end
    return low_value, low_value, first.end


def _pick_currency(text: str, range_end: int, default: str | None) -> str | None:
    """First strong marker in or just after the range, else ``$`` -> USD, else any marker, else default."""
    strong_near = weak_near = strong_any = weak_any = None
    for match in _CURRENCY.finditer(text):
        token = match.group().upper()
        weak = token in _WEAK_DOLLAR
        code = "USD" if weak else _TOKEN_CURRENCY.get(token, token)
        near = match.start() <= range_end + 6
        if weak:
            weak_near, weak_any = weak_near or (code if near else None), weak_any or code
        elif near and strong_near is None:
            strong_near = code
        strong_any = strong_any or (None if weak else code)
    currency = strong_near or weak_near or strong_any or weak_any or default
    if currency == "JPY" and _YEN_AS_CNY.search(text):
        return "CNY"
    return currency


def _stated_period(text: str) -> str | None:
    match = _PERIOD.search(text)
    if match is None:
        return None
    if match.group("pa"):
        return "year"
    word = (match.group("unit") or match.group("letter") or match.group("adverb")).lower()
    return _PERIOD_WORD.get(word.replace("-", "").removeprefix("bi"))


def _inferred_period(reference: float, currency: str | None, year: int | None) -> tuple[str | None, ...]:
    """Period from the size of the larger bound (in USD when the currency is known); see module doc."""
    in_usd = to_usd(reference, currency, year) if currency else None
    size = reference if in_usd is None else in_usd
    if size < NOT_PAY_BELOW:
        return None, "amount too small to be pay; period unknown"
    if size < HOURLY_BELOW:
        return "hour", "period inferred from amount"
    if size < UNCLEAR_BELOW:
        return None, "period unclear: 500-1,000 could be a day or week rate"
    return ("month" if size < MONTHLY_BELOW else "year"), "period inferred from amount"


def _usd_annual(
    low: float | None, high: float | None, currency: str | None, period: str | None, year: int | None
) -> tuple[float | None, float | None, str | None]:
    if currency is None or period is None:
        return None, None, None if period is None else "currency unknown; no USD figure"
    rate_probe = to_usd(1.0, currency, year)
    if rate_probe is None:
        return None, None, f"no FX rate for {currency}"
    usd = [None if v is None else round(annualize(v, period) * rate_probe, 2) for v in (low, high)]
    bad = [v for v in usd if v is not None and not MIN_USD_ANNUAL <= v <= MAX_USD_ANNUAL]
    if bad:
        return None, None, f"USD {bad[0]:,.0f} a year is outside {MIN_USD_ANNUAL:,.0f}-{MAX_USD_ANNUAL:,.0f}"
    return usd[0], usd[1], None


def salary_from_amounts(
    low: float | None, high: float | None, currency: str | None, period: str | None, year: int | None = None
) -> ParsedSalary | None:
    """Structured pay (JobSpy min/max + interval, Greenhouse pay ranges, Lever salaryRange) read with
    the same rules as text: a missing period is inferred from size, swapped bounds are put in order,
    and implausible yearly USD figures are dropped with a note. ``None`` when neither bound is > 0.

    Examples
    --------
    >>> salary_from_amounts(150_000, 190_000, "USD", "year", 2025).max_usd_annual
    190000.0
    >>> salary_from_amounts(70, 95, "USD", None, 2025).period
    'hour'
    >>> salary_from_amounts(45, None, "USD", "year", 2025).note
    'USD 45 a year is outside 1,000-5,000,000'
    """
    bounds = [v for v in (low, high) if v is not None and v > 0]
    if not bounds:
        return None
    low, high = (
        (min(bounds), max(bounds)) if len(bounds) == 2 else (low if low else None, high if high else None)
    )
    currency = currency.upper() if currency else None
    note = None
    if period not in PERIODS_PER_YEAR:
        period, note = _inferred_period(max(bounds), currency, year)
    usd_low, usd_high, usd_note = _usd_annual(low, high, currency, period, year)
    return ParsedSalary(low, high, currency, period, usd_low, usd_high, usd_note or note)


def parse_salary_text(
    text: str | None, *, default_currency: str | None = None, year: int | None = None
) -> ParsedSalary | None:
    """Parse a free-text pay statement; ``None`` when the text states no pay (see module doc).

    Examples
    --------
    >>> s = parse_salary_text("USD 117k~234k", year=2024)
    >>> s.min_amount, s.max_amount, s.currency, s.period, s.min_usd_annual
    (117000.0, 234000.0, 'USD', 'year', 117000.0)
    >>> parse_salary_text("$45.00 - $65.00 usd hourly").max_usd_annual
    135200.0
    >>> parse_salary_text("$Competitive base salary") is None
    True
    """
    if not text or not any(ch.isdigit() for ch in text):
        return None
    amounts = _find_amounts(text)
    if not amounts or all(a.value == 0 for a in amounts[:2]):
        return None
    if _PERK_AFTER.match(text, amounts[0].end):
        return None  # "$150/month dogfooding budget": a perk or a funding round, not pay
    low, high, range_end = _first_range(text, amounts)
    notes = []
    if low is not None and high is not None and high < low:
        high = None
        notes.append("upper bound below lower bound; dropped")
    currency = _pick_currency(text, range_end, default_currency)
    period = _stated_period(text)
    reference = max(v for v in (low, high) if v is not None)
    if period is None:
        if currency is None and not amounts[0].has_suffix and reference < 1_000:
            return None  # a bare small number ("hmo on day 1") is not a pay statement
        period, note = _inferred_period(reference, currency, year)
        notes.append(note)
    usd_low, usd_high, usd_note = _usd_annual(low, high, currency, period, year)
    notes.append(usd_note)
    note = "; ".join(n for n in notes if n) or None
    return ParsedSalary(low, high, currency, period, usd_low, usd_high, note)
