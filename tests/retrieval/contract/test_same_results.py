"""Both real backends give the same results on the same corpus: same rankings, one fusion."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.retriever import HybridRetriever
from ridgeline.protocols import SearchIndex
from ridgeline.settings import RetrievalMode
from ridgeline.types import AccessScope, SearchFilters, SearchHit
from tests.fakes import FixedImageEmbedder, HashingEmbedder
from tests.retrieval.contract.backends import new_index
from tests.retrieval.contract.corpus import DIMENSION, IMAGE_DIMENSION, write_corpus
from tests.retrieval.search_service.servers import RunningService

pytestmark = pytest.mark.integration

QUERIES = ["waterproof tent", "trails for hikers", "camping jacket", "merino socks", "poles"]
FILTERS = [
    None,
    SearchFilters(include_category="tents", keep_unlabelled=True),
    SearchFilters(max_price=190.0, access=AccessScope(user_id="ann")),
    SearchFilters(brand="Contoso", access=AccessScope(group_ids=("staff",))),
]


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, search_service: RunningService
) -> dict[str, SearchIndex]:
    indexes = {}
    for backend in ("lancedb", "azure"):
        index = new_index(
            backend,
            directory=tmp_path_factory.mktemp(f"same-{backend}"),
            service=search_service,
            dimension=DIMENSION,
            image_dimension=IMAGE_DIMENSION,
        )
        write_corpus(index, HashingEmbedder(dimension=DIMENSION))
        indexes[backend] = index
    return indexes


def _answer(index: SearchIndex, query: str, mode: RetrievalMode, **options: object) -> list:  # type: ignore[type-arg]
    retriever = HybridRetriever(
        index=index,
        embedder=HashingEmbedder(dimension=DIMENSION),
        image_embedder=FixedImageEmbedder([0.6, 0.8, 0.0]),
        drop_stop_words=True,
        distinct_pages=True,
    )
    hits: list[SearchHit] = retriever.search(query, mode=mode, top=5, **options)  # type: ignore[arg-type]
    return [
        (h.chunk.chunk_id, h.text_rank, h.vector_rank, h.image_rank, round(h.score, 4))
        for h in hits
    ]


@pytest.mark.parametrize("filters", FILTERS, ids=str)
@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
@pytest.mark.parametrize("query", QUERIES)
def test_lancedb_and_azure_agree(
    both: dict[str, SearchIndex], query: str, mode: RetrievalMode, filters: SearchFilters | None
) -> None:
    lance = _answer(both["lancedb"], query, mode, filters=filters)
    azure = _answer(both["azure"], query, mode, filters=filters)
    if mode == "text":  # BM25 scores differ in their last digits between the two engines
        lance, azure = [h[:4] for h in lance], [h[:4] for h in azure]
    assert lance == azure
    assert lance or filters is not None


def test_lancedb_and_azure_agree_on_an_image_query(
    both: dict[str, SearchIndex], tmp_path: Path
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"not read")
    answers = [_answer(both[b], "tent", "hybrid", image=photo) for b in ("lancedb", "azure")]
    assert answers[0] == answers[1] and answers[0]
