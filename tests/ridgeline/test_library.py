"""``ridgeline.open``: ingest, search and ask through the same components as ``/chat``.

Real LanceDB in tmp_path and the real pipeline; the text embedder is the hashing one,
registered as a plugin (the ``hashing_plugin`` fixture)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ridgeline
from retrieval.multi_query import MultiQueryRetriever
from retrieval.retriever import HybridRetriever
from retrieval.windows import PassageRetriever, stored_chunking
from ridgeline.cli import wiring
from ridgeline.errors import ConfigError
from ridgeline.library import Ridgeline, as_filters
from ridgeline.protocols import Retriever
from ridgeline.settings import Settings
from ridgeline.types import AttributeRange, SearchFilters
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "products.csv").write_text(
        "id,name,price,category,brand,description\n"
        "1,TrailMaster X4 Tent,250.00,Tents,OutdoorLiving,A four-person waterproof tent.\n"
        "2,Summit Pack,120.00,Backpacks,Northbound,A 40 litre pack for day hikes.\n",
        encoding="utf-8",
    )
    lines = [
        {"id": "returns", "title": "Returns", "text": "Returns are accepted within 30 days."},
        {
            "id": "stoves",
            "title": "Stoves",
            "text": "Camp stoves must be lit outdoors only.",
            "metadata": {"category": "Safety"},
        },
    ]
    (folder / "kb.jsonl").write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    return folder


@pytest.fixture
def rl(tmp_path: Path, hashing_plugin: str) -> Ridgeline:
    settings = Settings(_env_file=None, text_embedder=hashing_plugin)
    return ridgeline.open(tmp_path / "index", settings=settings)


def test_ingest_search_and_ask_with_citations(rl: Ridgeline, corpus: Path):
    report = rl.ingest([corpus])

    assert not report.failed and report.total_chunks == 4
    hits = rl.search("how many days for returns")
    assert hits[0].chunk.citation == "kb.jsonl#id=returns"
    tents = rl.search("tent", filters={"max_price": 200})
    assert "products.csv#id=1" not in [hit.chunk.citation for hit in tents]
    reply = rl.ask("What is the price of the TrailMaster X4 Tent?")
    assert "250" in reply.output_text and "[products.csv#id=1]" in reply.output_text


def inner(rl: Ridgeline) -> Retriever:
    """The retriever inside the one that grows windows into passages (a no-op for passages)."""
    passages = rl.retriever
    assert isinstance(passages, PassageRetriever)
    return passages.inner


def test_search_uses_the_chat_retrievers_tuned_settings(rl: Ridgeline):
    passages = rl.retriever
    assert isinstance(passages, PassageRetriever)  # chunking="passage": hits as they are
    multi = passages.inner
    assert isinstance(multi, MultiQueryRetriever)  # query_decomposition="rules" by default
    retriever = multi.retriever
    assert isinstance(retriever, HybridRetriever)
    assert retriever._drop_stop_words and retriever._distinct_pages
    assert retriever._vocabulary_source is rl.index  # spelling correction, as /chat
    assert rl.index_dir.name == "index"


def test_the_fusion_weights_of_the_settings_reach_the_chat_retriever(
    tmp_path: Path, hashing_plugin: str
):
    settings = Settings(
        _env_file=None,
        text_embedder=hashing_plugin,
        query_decomposition="off",
        fusion_text_weight=1.5,
        fusion_vector_weight=0.5,
    )
    retriever = inner(ridgeline.open(tmp_path / "index", settings=settings))
    assert isinstance(retriever, HybridRetriever)
    assert retriever._weights == {"text": 1.5, "vector": 0.5}


def test_the_rrf_k_of_the_settings_fuses_the_parts_of_a_question_too(
    tmp_path: Path, hashing_plugin: str
):
    settings = Settings(_env_file=None, text_embedder=hashing_plugin, rrf_k=20)
    multi = inner(ridgeline.open(tmp_path / "index", settings=settings))
    assert isinstance(multi, MultiQueryRetriever)
    assert multi.rrf_k == 20
    assert isinstance(multi.retriever, HybridRetriever) and multi.retriever._rrf_k == 20


def test_decomposition_can_be_turned_off_and_needs_an_llm_to_use_one(
    tmp_path: Path, hashing_plugin: str
):
    def opened(**options: object) -> Ridgeline:
        settings = Settings(_env_file=None, text_embedder=hashing_plugin, **options)  # type: ignore[arg-type]
        return ridgeline.open(tmp_path / "index", settings=settings)

    assert isinstance(inner(opened(query_decomposition="off")), HybridRetriever)
    with pytest.raises(ConfigError, match="query_decomposition=llm needs an LLM chat model"):
        opened(query_decomposition="llm").retriever  # noqa: B018


def test_a_multi_part_question_finds_both_parts(rl: Ridgeline, corpus: Path):
    rl.ingest([corpus / "kb.jsonl"])
    hits = rl.search("How many days for returns? Where must camp stoves be lit?", top=2)
    assert {h.chunk.citation for h in hits} == {"kb.jsonl#id=returns", "kb.jsonl#id=stoves"}


def test_a_missing_path_and_an_unknown_filter_are_clear_errors(rl: Ridgeline, tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"no such file or folder: .*nowhere"):
        rl.ingest([tmp_path / "nowhere"])
    with pytest.raises(ValueError, match="unknown filter size; filters are: include_category"):
        as_filters({"size": "XL"})
    assert as_filters({"brand": "Acme"}) == SearchFilters(brand="Acme")


def test_attribute_filters_are_given_as_plain_values():
    given = as_filters({"attribute_ranges": [{"name": "weight_kg", "max": 2}], "colour": "red"})
    weight = AttributeRange(name="weight_kg", max=2)
    assert given == SearchFilters(attribute_ranges=(weight,), colour="red")
    with pytest.raises(ValueError, match="unknown attribute 'weight'"):
        as_filters({"attribute_ranges": [{"name": "weight", "max": 2}]})


def test_open_reads_the_width_from_the_embedder(rl: Ridgeline):
    unit = [1.0] + [0.0] * 383  # a 384-d query fits the (empty) index the library opened
    assert search(rl.index, vector=unit, text="", mode="vectors", top=1, dimension=384) == []


def test_the_langchain_retriever_ranks_as_the_library(rl: Ridgeline, corpus: Path):
    from retrieval.langchain import RidgelineRetriever

    rl.ingest([corpus / "kb.jsonl"])
    opened = RidgelineRetriever.open(rl.index_dir, settings=rl.settings, top=1)

    for retriever in (rl.langchain_retriever(top=1), opened):
        (document,) = retriever.invoke("how many days for returns")
        assert document.metadata["citation"] == "kb.jsonl#id=returns"
        assert document.metadata["title"] == "Returns"


def test_sentence_windows_are_ingested_and_found_as_passages(tmp_path: Path, hashing_plugin: str):
    folder = tmp_path / "docs"
    folder.mkdir()
    sentences = [f"Step {n} of pitching the tent uses peg number {n}." for n in range(1, 13)]
    (folder / "pitching.txt").write_text(" ".join(sentences), encoding="utf-8")
    settings = Settings(
        _env_file=None, text_embedder=hashing_plugin, chunking="sentence-window", window_tokens=32
    )
    rl = ridgeline.open(tmp_path / "index", settings=settings)

    report = rl.ingest([folder])
    (hit,) = rl.search("step 7 peg", top=1, mode="text")

    assert report.total_chunks >= 4  # windows of two or three sentences
    assert sentences[6] in hit.chunk.content and len(hit.chunk.content) > 3 * len(sentences[6])
    assert hit.chunk.citation == "pitching.txt" and ":w" in hit.chunk.chunk_id
    as_passages = ridgeline.open(
        tmp_path / "index", settings=Settings(_env_file=None, text_embedder=hashing_plugin)
    )
    with pytest.raises(ConfigError, match="holds sentence-window chunks"):
        as_passages.search("step 7 peg", top=1, mode="text")


def test_ingesting_passages_into_a_window_index_is_refused_and_changes_nothing(
    tmp_path: Path, hashing_plugin: str
):
    folder, more = tmp_path / "docs", tmp_path / "more"
    folder.mkdir()
    more.mkdir()
    (folder / "pitching.txt").write_text("Peg the corners first. Then raise the poles.", "utf-8")
    (more / "packing.txt").write_text("Roll the tent from the door end.", encoding="utf-8")
    windows = Settings(_env_file=None, text_embedder=hashing_plugin, chunking="sentence-window")
    ridgeline.open(tmp_path / "index", settings=windows).ingest([folder])
    passages = Settings(_env_file=None, text_embedder=hashing_plugin)
    as_passages = ridgeline.open(tmp_path / "index", settings=passages)
    chunks_before = as_passages.index.count_chunks()

    with pytest.raises(ConfigError, match="holds sentence-window chunks but RIDGELINE_CHUNKING"):
        as_passages.ingest([more])

    assert as_passages.index.count_chunks() == chunks_before


def test_the_index_is_read_for_its_chunking_until_it_holds_chunks_then_not_again(
    tmp_path: Path, hashing_plugin: str, monkeypatch: pytest.MonkeyPatch
):
    # Each upload builds a pipeline; reading how the index is cut lists every document (one
    # query per upload on Azure), so the check remembers an index holding chunks cut the same way.
    folder = tmp_path / "docs"
    folder.mkdir()
    rl = ridgeline.open(
        tmp_path / "index", settings=Settings(_env_file=None, text_embedder=hashing_plugin)
    )
    rl.index.count_chunks()  # opens the index directory, still empty
    reads: list[object] = []
    monkeypatch.setattr(
        wiring, "stored_chunking", lambda index: reads.append(stored_chunking(index)) or reads[-1]
    )

    for name, text in [
        ("a", "Peg the corners first."),
        ("b", "Raise the poles."),
        ("c", "Roll it."),
    ]:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        rl.ingest([folder / f"{name}.txt"])

    assert rl.index.count_chunks() == 3
    assert reads == [None, "passage"]  # empty, then found; the third ingest did not read
