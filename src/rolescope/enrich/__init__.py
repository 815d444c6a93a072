"""Enrichment: what the text of a posting says (skills now, roles later), as batch steps.

Each step is a function or a callable class over Arrow / pandas batches, so the same step runs in
the local loop and in Ray Data's ``map_batches``. Nothing is imported here: steps load lazily.
"""
