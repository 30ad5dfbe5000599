from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval.fusion import DEFAULT_RRF_K as K
from retrieval.fusion import fuse
from retrieval.lancedb import LanceDbIndex
from retrieval.retriever import HybridRetriever
from ridgeline.errors import FeatureNotAvailableError
from ridgeline.protocols import Retriever, TextEmbedder
from ridgeline.ranking import RankedChunk, RankingQuery
from ridgeline.types import Chunk, SearchFilters, SearchHit
from tests.fakes import FixedImageEmbedder, HashingEmbedder
from tests.retrieval.conftest import IndexWriter, make_chunks, make_document

pytestmark = pytest.mark.integration


class CountingEmbedder(HashingEmbedder):
    """The hashing embedder, counting query embeddings."""

    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_query(self, text: str) -> list[float]:
        self.queries.append(text)
        return super().embed_query(text)


def _ids(hits: Sequence) -> list[str]:  # type: ignore[type-arg]
    return [h.chunk.chunk_id for h in hits]


@pytest.fixture
def embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def retriever(index: LanceDbIndex, embedder: CountingEmbedder) -> HybridRetriever:
    return HybridRetriever(index=index, embedder=embedder, candidates=10)


def test_is_a_retriever(retriever: HybridRetriever) -> None:
    assert isinstance(retriever, Retriever)


def test_text_mode_does_not_embed_the_query(
    retriever: HybridRetriever, embedder: CountingEmbedder, catalog: list[Chunk]
) -> None:
    hits = retriever.search("jacket", mode="text", top=3)
    assert _ids(hits) == ["products.csv-2"]
    assert embedder.queries == []


def test_vectors_mode_embeds_once(
    retriever: HybridRetriever, embedder: CountingEmbedder, catalog: list[Chunk]
) -> None:
    hits = retriever.search("Waterproof hiking jacket", mode="vectors", top=2)
    assert _ids(hits)[0] == "products.csv-2" and hits[0].vector_rank == 1
    assert embedder.queries == ["Waterproof hiking jacket"]


def test_hybrid_mode_fuses_the_index_rankings_by_reciprocal_rank(
    retriever: HybridRetriever, index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    hits = retriever.search("running shoes", mode="hybrid", top=4)
    vector = HashingEmbedder().embed_query("running shoes")
    text, vectors = index.rank(
        [
            RankingQuery(field="text", text="running shoes", top=10),
            RankingQuery(field="vector", vector=vector, top=10),
        ]
    )
    expected = fuse({"text": text, "vector": vectors}, k=K, top=4)
    assert [(h.chunk.chunk_id, h.score) for h in hits] == [(f.chunk_id, f.score) for f in expected]
    assert len(hits) == 4 and hits[0].text_rank is not None and hits[0].vector_rank is not None
    assert hits[0].chunk == index.fetch([hits[0].chunk.chunk_id])[hits[0].chunk.chunk_id]


def test_default_weights_weigh_the_legs_and_a_search_overrides_only_those_it_names(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    retriever = HybridRetriever(
        index=index, embedder=HashingEmbedder(), candidates=10, weights={"text": 3.0, "vector": 0.5}
    )
    vector = HashingEmbedder().embed_query("running shoes")
    text, vectors = index.rank(
        [
            RankingQuery(field="text", text="running shoes", top=10),
            RankingQuery(field="vector", vector=vector, top=10),
        ]
    )

    def expected(**weights: float) -> list[tuple[str, float]]:
        fused = fuse({"text": text, "vector": vectors}, k=K, top=4, weights=weights)
        return [(f.chunk_id, f.score) for f in fused]

    def searched(**weights: float) -> list[tuple[str, float]]:
        hits = retriever.search("running shoes", mode="hybrid", top=4, weights=weights or None)
        return [(h.chunk.chunk_id, h.score) for h in hits]

    assert searched() == expected(text=3.0, vector=0.5)
    assert searched(vector=2.0) == expected(text=3.0, vector=2.0)


@pytest.mark.parametrize("weight", [0.0, -1.0, float("nan")])
def test_a_default_weight_must_be_above_zero(index: LanceDbIndex, weight: float) -> None:
    with pytest.raises(ValueError, match="text ranking's weight"):
        HybridRetriever(index=index, embedder=HashingEmbedder(), weights={"text": weight})


def test_filters_pass_through(retriever: HybridRetriever, catalog: list[Chunk]) -> None:
    hits = retriever.search(
        "running", mode="hybrid", top=10, filters=SearchFilters(include_category="socks")
    )
    assert _ids(hits) == ["products.csv-3"]


@pytest.mark.parametrize("mode", ["text", "vectors", "hybrid"])
def test_blank_query_returns_nothing(
    retriever: HybridRetriever, embedder: CountingEmbedder, catalog: list[Chunk], mode: str
) -> None:
    assert retriever.search("  ", mode=mode, top=3) == []  # type: ignore[arg-type]
    assert embedder.queries == []


def test_bad_arguments_are_rejected(retriever: HybridRetriever) -> None:
    with pytest.raises(ValueError, match="top"):
        retriever.search("x", mode="text", top=0)
    with pytest.raises(ValueError, match="mode"):
        retriever.search("x", mode="fuzzy", top=3)  # type: ignore[arg-type]


_CORPUS = [
    "My vehicle would not turn over this freezing morning.",
    "Cold weather gear: insulated gloves and woollen hats.",
    "Quarterly sales report for the marketing department.",
    "Recipe for banana bread with walnuts and cinnamon.",
    "Guide to pruning apple trees before winter.",
]


@pytest.mark.models
def test_real_embedder_finds_a_paraphrase_that_bm25_misses(
    tmp_path: Path, real_embedder: TextEmbedder
) -> None:
    index = LanceDbIndex(tmp_path, dimension=real_embedder.dimension)
    chunks = make_chunks("notes.txt", [(text, {}) for text in _CORPUS])
    index.replace_document(
        make_document("notes.txt"), chunks, real_embedder.embed_documents(_CORPUS)
    )
    retriever = HybridRetriever(index=index, embedder=real_embedder)
    query = "car won't start in cold weather"
    paraphrase, keywords = "notes.txt-0", "notes.txt-1"

    assert _ids(retriever.search(query, mode="text", top=5)) == [keywords]
    assert _ids(retriever.search(query, mode="vectors", top=1)) == [paraphrase]
    assert set(_ids(retriever.search(query, mode="hybrid", top=2))) == {paraphrase, keywords}


# -- query by image, reranking, paging ----------------------------------------------------------


class SpyIndex:
    """Delegates to a real LanceDbIndex, records the rankings asked of it, and answers
    image-vector rankings from vectors given per chunk (cosine, as the index does)."""

    def __init__(
        self,
        index: LanceDbIndex,
        image_vectors: dict[str, list[float]],
        chunks: Sequence[Chunk] = (),
    ) -> None:
        self._index = index
        self._image_vectors = image_vectors
        self._chunks = {c.chunk_id: c for c in chunks}
        self.calls: list[RankingQuery] = []

    def rank(self, queries: Sequence[RankingQuery]) -> list[list[RankedChunk]]:
        self.calls.extend(queries)
        answers = iter(self._index.rank([q for q in queries if q.field != "image"]))
        return [self._image(q) if q.field == "image" else next(answers) for q in queries]

    def _image(self, query: RankingQuery) -> list[RankedChunk]:
        assert query.vector is not None
        scored = sorted(
            ((float(np.dot(v, query.vector)), cid) for cid, v in self._image_vectors.items()),
            reverse=True,
        )[: query.top]
        return [RankedChunk(cid, score, self._chunks[cid].citation) for score, cid in scored]

    def fetch(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        return self._index.fetch(chunk_ids)

    def count_chunks(self) -> int:
        return self._index.count_chunks()

    def texts(self) -> list[str]:
        return [q.text for q in self.calls if q.field == "text"]


class FixedOcr:
    def __init__(self, text: str) -> None:
        self.text = text

    def read_text(self, image_path: Path) -> str:
        return self.text


class FixedCaptioner:
    name = "fixed"

    def __init__(self, text: str) -> None:
        self.text = text
        self.ocr_seen: list[str] = []

    def caption(self, image_path: Path, *, context: str = "", ocr_text: str = "") -> str:
        self.ocr_seen.append(ocr_text)
        return self.text


class ShortestFirst:
    """A reranker that prefers short chunks, to make its effect visible."""

    name = "shortest"

    def __init__(self) -> None:
        self.queries: list[str] = []

    def rerank(self, query: str, hits: Sequence[SearchHit]) -> list[SearchHit]:
        self.queries.append(query)
        return sorted(hits, key=lambda h: len(h.chunk.content))


IMAGE_VECTORS = {
    "products.csv-0": [1.0, 0.0],
    "products.csv-1": [0.9, 0.1],
    "products.csv-2": [0.0, 1.0],
    "products.csv-3": [0.6, 0.8],
}


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "query.png"
    path.write_bytes(b"not read by the fakes")
    return path


def test_an_image_alone_queries_the_image_vectors(
    index: LanceDbIndex, catalog: list[Chunk], photo: Path
) -> None:
    spy = SpyIndex(index, IMAGE_VECTORS, catalog)
    images = FixedImageEmbedder([0.0, 1.0])
    retriever = HybridRetriever(index=spy, embedder=HashingEmbedder(), image_embedder=images)
    hits = retriever.search("", mode="hybrid", top=2, image=photo)
    assert _ids(hits) == ["products.csv-2", "products.csv-3"]
    assert hits[0].image_rank == 1 and hits[0].text_rank is None
    assert images.seen == [photo]


def test_ocr_and_caption_text_join_the_query_and_all_lists_are_fused(
    index: LanceDbIndex, catalog: list[Chunk], photo: Path
) -> None:
    spy = SpyIndex(index, IMAGE_VECTORS, catalog)
    captioner = FixedCaptioner("a pair of socks")
    retriever = HybridRetriever(
        index=spy,
        embedder=HashingEmbedder(),
        image_embedder=FixedImageEmbedder([0.6, 0.8]),
        ocr=FixedOcr("WOOL"),
        captioner=captioner,
        candidates=10,
        drop_stop_words=False,  # the BM25 call below shows the query text as joined
    )
    hits = retriever.search("running", mode="hybrid", top=3, image=photo)
    assert hits[0].chunk.chunk_id == "products.csv-3"
    assert None not in (hits[0].text_rank, hits[0].vector_rank, hits[0].image_rank)
    assert spy.texts() == ["running a pair of socks WOOL"]
    assert captioner.ocr_seen == ["WOOL"]


def test_text_mode_reads_the_image_but_skips_the_image_vector(
    index: LanceDbIndex, catalog: list[Chunk], photo: Path
) -> None:
    images = FixedImageEmbedder([1.0, 0.0])
    retriever = HybridRetriever(
        index=index, embedder=HashingEmbedder(), image_embedder=images, ocr=FixedOcr("jacket")
    )
    assert _ids(retriever.search("", mode="text", top=3, image=photo)) == ["products.csv-2"]
    assert images.seen == []


def test_skip_pages_through_the_same_ranking(
    retriever: HybridRetriever, catalog: list[Chunk]
) -> None:
    everything = retriever.search("running shoes", mode="hybrid", top=5)
    assert retriever.search("running shoes", mode="hybrid", top=2, skip=2) == everything[2:4]
    with pytest.raises(ValueError, match="skip"):
        retriever.search("x", mode="text", top=3, skip=-1)


def test_a_reranker_reorders_the_fused_candidates(
    index: LanceDbIndex, embedder: CountingEmbedder, catalog: list[Chunk]
) -> None:
    reranker = ShortestFirst()
    retriever = HybridRetriever(index=index, embedder=embedder, reranker=reranker, candidates=10)
    hits = retriever.search("running", mode="text", top=2)
    assert [h.chunk.content for h in hits] == [
        "Wool running socks",
        "Road running shoes, light and fast",
    ]
    assert reranker.queries == ["running"]


def test_distinct_pages_returns_one_hit_per_citation(
    index: LanceDbIndex, hashing_embedder: HashingEmbedder
) -> None:
    chunks = [
        c.model_copy(update={"citation": "guide.pdf#page=1" if n < 3 else "guide.pdf#page=2"})
        for n, c in enumerate(
            make_chunks("guide.pdf", [(f"tent pitching step {n}", {}) for n in range(4)])
        )
    ]
    vectors = hashing_embedder.embed_documents([c.content for c in chunks])
    index.replace_document(make_document("guide.pdf"), chunks, vectors)
    retriever = HybridRetriever(index=index, embedder=hashing_embedder, distinct_pages=True)
    hits = retriever.search("tent pitching", mode="text", top=5)
    assert [h.chunk.citation for h in hits] == ["guide.pdf#page=1", "guide.pdf#page=2"]


def test_stop_words_can_be_kept_out_of_the_bm25_query(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    spy, embedder = SpyIndex(index, {}), CountingEmbedder()
    retriever = HybridRetriever(index=spy, embedder=embedder, drop_stop_words=True)
    retriever.search("What is the best jacket?", mode="hybrid", top=3)
    assert spy.texts() == ["best jacket"]
    assert embedder.queries == ["What is the best jacket?"]


def test_spelling_correction_fixes_the_query_before_both_rankings(
    index: LanceDbIndex, catalog: list[Chunk]
) -> None:
    spy, embedder = SpyIndex(index, {}), CountingEmbedder()
    spy.vocabulary = index.vocabulary  # type: ignore[attr-defined]
    retriever = HybridRetriever(index=spy, embedder=embedder, correct_spelling=True)
    hits = retriever.search("waterpoorf jakcet", mode="hybrid", top=1)
    assert spy.texts() == ["waterproof jacket"]
    assert embedder.queries == ["waterproof jacket"]
    assert _ids(hits) == ["products.csv-2"]


def test_spelling_correction_sees_words_written_after_the_first_query(
    index: LanceDbIndex, write: IndexWriter, hashing_embedder: HashingEmbedder
) -> None:
    write("a.md", [("A lantern for the tent", {})])
    retriever = HybridRetriever(index=index, embedder=hashing_embedder, correct_spelling=True)
    assert retriever.search("lnatern", mode="text", top=1)
    write("b.md", [("A kettle for the stove", {})])
    time.sleep(1.1)  # the index re-checks its version at most once a second
    assert _ids(retriever.search("ketlte", mode="text", top=1)) == ["b.md-0"]


def test_spelling_correction_needs_an_index_that_lists_its_words(index: LanceDbIndex) -> None:
    with pytest.raises(FeatureNotAvailableError, match="correct_spelling"):
        HybridRetriever(
            index=SpyIndex(index, {}), embedder=HashingEmbedder(), correct_spelling=True
        )


def test_a_weighted_image_ranking_outvotes_the_text_read_off_the_photo(
    index: LanceDbIndex, catalog: list[Chunk], photo: Path
) -> None:
    """The photo shows the trail shoes (image vector), but its OCR text names the jacket: at
    equal weights the two text rankings win; weighting the image ranking per search trusts it."""
    retriever = HybridRetriever(
        index=SpyIndex(index, IMAGE_VECTORS, catalog),
        embedder=HashingEmbedder(),
        image_embedder=FixedImageEmbedder([1.0, 0.0]),
        ocr=FixedOcr("Waterproof hiking jacket"),
        rrf_k=1,
        candidates=10,
    )
    equal = retriever.search("", mode="hybrid", top=1, image=photo)
    weighted = retriever.search("", mode="hybrid", top=1, image=photo, weights={"image": 4.0})
    assert _ids(equal) == ["products.csv-2"]
    assert _ids(weighted) == ["products.csv-0"]
    assert weighted[0].image_rank == 1
