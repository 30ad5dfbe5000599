"""Counts over the chunks table: facet values (category, brand) and words (spelling)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from lancedb.table import Table

from retrieval import schema
from retrieval.filters import where_clause
from retrieval.query.spelling import Vocabulary, VocabularyCache
from ridgeline.types import SearchFilters

# Above this many chunks the word list for spelling correction (~0.1 s per 1,000 chunks) is
# counted in the background rather than inside a query.
BACKGROUND_VOCABULARY_ROWS = 50_000


def facet_counts(chunks: Table, field: str, filters: SearchFilters | None) -> dict[str, int]:
    """How many chunks the filters let through hold each value of ``field``, most first."""
    if field not in schema.FACET_COLUMNS:
        raise ValueError(
            f"cannot count facets of {field!r}: use one of {', '.join(schema.FACET_COLUMNS)}"
        )
    where = " AND ".join(p for p in (f"{field} IS NOT NULL", where_clause(filters)) if p)
    values = (chunks.search().where(where).select([field]).limit(None).to_arrow())[field]
    if pa.types.is_list(values.type):  # materials, colours: each word of each chunk counts
        values = pc.list_flatten(values)
    counts = pc.value_counts(values).to_pylist()
    ordered = sorted(counts, key=lambda c: (-c["counts"], c["values"]))
    return {c["values"]: c["counts"] for c in ordered}


def vocabulary(chunks: Table, cache: VocabularyCache) -> Vocabulary:
    """The words of all chunks with their counts, recounted after the table changed (see
    :class:`retrieval.query.spelling.VocabularyCache`); large tables count in the background."""
    return cache.get(
        in_background=lambda: chunks.count_rows() > BACKGROUND_VOCABULARY_ROWS,
        version=lambda: chunks.version,
        texts=lambda: (
            chunks.search()
            .select([schema.SEARCH_TEXT_COLUMN])  # the words BM25 can match, titles included
            .limit(None)
            .to_arrow()[schema.SEARCH_TEXT_COLUMN]
        ),
    )
