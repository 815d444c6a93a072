"""US consumer prices (CPI-U annual averages), to express salaries of several years in one year's dollars."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

from rolescope.errors import DataError

CPI_FILE = "cpi_us.csv"


@cache
def load_cpi() -> dict[int, float]:
    """CPI-U annual average by year, from package data (see cpi_us.SOURCE.md for its provenance).

    >>> load_cpi()[2024]
    313.689
    """
    text = resources.files("rolescope.knowledge").joinpath(CPI_FILE).read_text(encoding="utf-8")
    table: dict[int, float] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        try:
            table[int(row["year"])] = float(row["cpi_u_annual_average"])
        except (KeyError, TypeError, ValueError):
            raise DataError(
                f"{CPI_FILE} line {line}: expected a year and a positive index, got {dict(row)}",
                hint="fix the package data file",
            ) from None
    if not table or min(table.values()) <= 0:
        raise DataError(f"{CPI_FILE}: no usable rows", hint="fix the package data file")
    return table
