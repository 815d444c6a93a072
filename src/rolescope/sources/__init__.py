"""Input formats: one module per format, each mapping its records to canonical raw fields.

Readers stream (JSONL, CSV, Parquet); JSON documents (Greenhouse boards, Lever postings) are read
whole, since their APIs return one document per board.
"""

from rolescope.sources.detect import FORMATS, SourceFile, detect_format, resolve_field_map

__all__ = ["FORMATS", "SourceFile", "detect_format", "resolve_field_map"]
