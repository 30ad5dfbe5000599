"""The optional index features are protocols an index satisfies by having the methods."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from retrieval.lancedb import LanceDbIndex
from retrieval.query.spelling import VocabularySource
from ridgeline.protocols import (
    BulkLoadingIndex,
    FacetIndex,
    ImageDimensionIndex,
    OptimizableIndex,
    RebuildableTextIndex,
    SearchIndex,
)
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import Chunk, SourceDocument

OPTIONAL_FEATURES = [
    BulkLoadingIndex,
    FacetIndex,
    OptimizableIndex,
    RebuildableTextIndex,
    ImageDimensionIndex,
    VocabularySource,
]


class PlainIndex:
    """A SearchIndex with the required methods only."""

    def get_document(self, document_id: str) -> SourceDocument | None:
        return None

    def replace_document(
        self,
        document: SourceDocument,
        chunks: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        *,
        image_vectors: Sequence[Sequence[float] | None] | None = None,
    ) -> None:
        pass

    def delete_document(self, document_id: str) -> None:
        pass

    def list_documents(self) -> list[SourceDocument]:
        return []

    def count_chunks(self) -> int:
        return 0

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        return [[] for _ in queries]

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        return {}


@pytest.mark.integration
@pytest.mark.parametrize("feature", OPTIONAL_FEATURES, ids=lambda f: f.__name__)
def test_the_lancedb_index_has_every_optional_feature(feature: type, tmp_path: Path) -> None:
    assert isinstance(LanceDbIndex(tmp_path / "index", dimension=4), feature)


@pytest.mark.parametrize("feature", OPTIONAL_FEATURES, ids=lambda f: f.__name__)
def test_an_index_with_the_required_methods_only_has_none(feature: type) -> None:
    index = PlainIndex()
    assert isinstance(index, SearchIndex)
    assert not isinstance(index, feature)


def test_a_text_index_needs_both_the_check_and_the_rebuild() -> None:
    class CheckOnly(PlainIndex):
        def text_index_is_current(self) -> bool:
            return True

    assert not isinstance(CheckOnly(), RebuildableTextIndex)
