"""One exception tree for everything a person may see.

Each error carries a one-line message (what was wrong and what was received) and an optional
hint (what is allowed, how to fix it). Interfaces turn these into exit code 2 on the CLI and one
JSON error shape on the API; nothing below the interfaces prints or exits.
"""

from __future__ import annotations


class RolescopeError(Exception):
    """Base class: a problem a person can act on."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        parts = [self.message, self.hint] if self.hint else [self.message]
        return " ".join(part.rstrip(".") + "." for part in parts)


class InvalidInput(RolescopeError):
    """The input given by the person is wrong: bad file, bad value, bad option."""

    exit_code = 2


class NotFound(RolescopeError):
    """Something named does not exist (a role id, a file, a dataset)."""

    exit_code = 2


class NotReady(RolescopeError):
    """A prerequisite step has not run yet (no store, no model)."""

    exit_code = 1


class Interrupted(RolescopeError):
    """The person stopped a run (Ctrl-C); whatever it was writing was rolled back."""

    exit_code = 130


class DataError(RolescopeError):
    """Package data or the store is inconsistent (a broken knowledge file, a newer schema)."""

    exit_code = 1
