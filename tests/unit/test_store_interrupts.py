"""Ctrl-C becomes one message wherever it lands, including DuckDB's plain "Query interrupted"."""

from __future__ import annotations

import duckdb
import pytest

from rolescope.errors import Interrupted
from rolescope.store.connection import is_interrupt, on_interrupt


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (KeyboardInterrupt(), True),
        (duckdb.InterruptException("INTERRUPT Error: Interrupted!"), True),
        (RuntimeError("Query interrupted"), True),  # raised when it lands in a scan of an Arrow batch
        (RuntimeError("something else"), False),
        (ValueError("Query interrupted"), False),
    ],
)
def test_what_counts_as_an_interrupt(exc: BaseException, expected: bool) -> None:
    assert is_interrupt(exc) is expected


def test_on_interrupt_turns_ctrl_c_into_the_message_and_lets_the_rest_through() -> None:
    done = {"n": 0}
    with pytest.raises(Interrupted, match="after 3"), on_interrupt(lambda: Interrupted(f"after {done['n']}")):
        done["n"] = 3  # the message is built when it happens, so it can say how far the work got
        raise RuntimeError("Query interrupted")
    with pytest.raises(RuntimeError, match="something else"), on_interrupt(lambda: Interrupted("no")):
        raise RuntimeError("something else")
