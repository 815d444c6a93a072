"""The enrich step "embeddings": one static MiniLM vector per posting, for semantic job matching.

Runs only when the optional extra is installed (:func:`rolescope.enrich.embeddings.available`);
``rolescope enrich`` says it skipped the step otherwise. Incremental like the other steps: a posting
is embedded when it is new or was embedded by another model (the step version carries the model's
hash), and each batch commits on its own.
"""

from __future__ import annotations

import duckdb

from rolescope.enrich.embeddings import default_embedder, model_version, posting_text
from rolescope.enrich.pipeline import EnrichSummary, ProgressFn, interrupted_after, no_progress
from rolescope.errors import DataError
from rolescope.store import embeddings as store_embeddings
from rolescope.store import enrichment as store_enrichment
from rolescope.store.connection import on_interrupt

EMBEDDINGS_STEP = "embeddings"


def enrich_embeddings(
    con: duckdb.DuckDBPyConnection, *, batch_rows: int = 500, progress: ProgressFn = no_progress
) -> EnrichSummary:
    """Embed the title and description of every posting not yet embedded by the shipped model.

    Raises NotReady when the extra is not installed (check ``available()`` first to skip quietly).
    """
    version = model_version()
    summary = EnrichSummary(EMBEDDINGS_STEP, version)
    summary.pending = store_enrichment.count_pending(con, EMBEDDINGS_STEP, version)
    if not summary.pending:
        return summary
    embedder = default_embedder()
    if embedder.dims != store_embeddings.STORED_DIMS:
        raise DataError(
            f"the embedding model gives {embedder.dims} dimensions, the store holds "
            f"{store_embeddings.STORED_DIMS}",
            hint="a model of another width needs a store migration; reinstall rolescope",
        )
    with on_interrupt(lambda: interrupted_after(summary, "embedding")):
        for batch in store_enrichment.iter_pending(con, EMBEDDINGS_STEP, version, batch_rows):
            ids, titles, texts = (batch.column(n).to_pylist() for n in ("posting_id", "title", "description"))
            vectors = embedder.embed([posting_text(t, d) for t, d in zip(titles, texts, strict=True)])
            store_embeddings.write_posting_embeddings(con, ids, vectors, EMBEDDINGS_STEP, version)
            summary.processed += batch.num_rows
            progress(summary.processed, summary.pending)
    return summary
