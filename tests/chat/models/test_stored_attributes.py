"""Answers read a product's attributes from its whole record, stored at ingestion, not only
from the chunk that retrieval happened to find."""

from pathlib import Path

from chat.models.composers import compose
from chat.models.products import products_in
from ridgeline.types import Chunk, SearchHit
from tests.fakes import MemoryIndex
from tests.ingestion.test_attributes import _catalog, _pipeline


def _ingested(tmp_path: Path) -> list[Chunk]:
    index = MemoryIndex()
    _pipeline(index).run([_catalog(tmp_path)])
    return index.all_chunks()


def _found(chunks: list[Chunk]) -> list[SearchHit]:
    """What a search found: the Bivvy's last chunk (no weight in it) and the Ptarmigan."""
    bivvy = [c for c in chunks if c.title == "Bivvy Solo 1 Tent"][-1]
    ptarmigan = next(c for c in chunks if c.title == "Ptarmigan 2 Tent")
    assert "1.1 kg" not in bivvy.content
    return [SearchHit(chunk=bivvy, score=1.0), SearchHit(chunk=ptarmigan, score=0.9)]


def test_the_lightest_tent_is_found_when_its_weight_is_in_another_chunk(tmp_path: Path) -> None:
    pieces = compose("Which is the lightest tent?", _found(_ingested(tmp_path)), has_image=False)
    assert pieces is not None
    text, citation = pieces[0]
    assert "Bivvy Solo 1 Tent" in text and "1.1 kg" in text
    assert citation == "products.csv#id=1"


def test_the_stored_source_sentence_is_what_the_answer_quotes(tmp_path: Path) -> None:
    (bivvy, _) = products_in(_found(_ingested(tmp_path)))
    weight = bivvy.value_of("weight")
    assert weight is not None and weight.sentence == "A one-person tent that packs to 1.1 kg."


def test_chunks_without_stored_attributes_fall_back_to_their_text(tmp_path: Path) -> None:
    hits = [
        SearchHit(chunk=h.chunk.model_copy(update={"attributes": None}), score=h.score)
        for h in _found(_ingested(tmp_path))
    ]
    (bivvy, ptarmigan) = products_in(hits)
    assert bivvy.value_of("weight") is None  # an index written before attributes existed
    assert ptarmigan.value_of("weight") is not None
