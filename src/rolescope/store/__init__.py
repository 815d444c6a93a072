"""The DuckDB store: the only place with SQL. Functions take a connection; nothing opens one at import."""

from rolescope.store.connection import connect, schema_version
from rolescope.store.info import describe_missing_store, describe_store
from rolescope.store.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "connect", "describe_missing_store", "describe_store", "schema_version"]
