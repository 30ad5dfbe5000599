"""The fresh-set benchmark scores pages, page-less files and the passage a source quotes."""

from __future__ import annotations

import pytest

from bench.fresh_sets import passage_scores, truth_citations
from ridgeline.types import Chunk, SearchHit
from tests.chat.fakes import FakeRetriever


def test_a_truth_cites_its_pages_or_its_page_less_file() -> None:
    assert truth_citations("Covered. [plan.pdf#page=7]") == ("plan.pdf#page=7",)
    assert truth_citations("Dry it flat. [product_info_3.md]") == ("product_info_3.md",)
    with pytest.raises(ValueError, match="no citation"):
        truth_citations("No citation at all.")


def test_the_passage_counts_only_when_a_source_holds_the_truth_sentence() -> None:
    def hit(name: str, content: str) -> SearchHit:
        chunk = Chunk(chunk_id=name, document_id="m", source="m.md", citation="m.md",
                      content=content)  # fmt: skip
        return SearchHit(chunk=chunk, score=1.0)

    retriever = FakeRetriever(
        hits=[hit("a", "Warranty: one year."), hit("b", "Dry the tent  before\nstoring it.")]
    )
    truths = {"How do I store the tent?": "Dry the tent before storing it.",
              "Is it waterproof?": "The fly is waterproof."}  # fmt: skip
    assert passage_scores(retriever, "hybrid", truths) == (0.5, 0.25)
