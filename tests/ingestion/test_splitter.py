import itertools
from pathlib import Path
from typing import Any

import pytest

from ingestion.splitter import TokenSplitter, embedding_text
from ridgeline.errors import ConfigError
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.types import ChunkKind, ImageAsset, Page, SourceDocument

TOKENIZER = TiktokenTokenizer()
DOCUMENT = SourceDocument(
    document_id="doc1", path=Path("/d/a.pdf"), source="a.pdf", content_hash="h", size_bytes=1
)
SENTENCES = [f"Sentence {n} says the tent number {n} is green." for n in range(1, 41)]


def splitter(chunk_tokens: int = 50, overlap_tokens: int = 10, **kw: Any) -> TokenSplitter:
    return TokenSplitter(
        tokenizer=TOKENIZER, chunk_tokens=chunk_tokens, overlap_tokens=overlap_tokens, **kw
    )


def test_a_short_page_is_one_chunk_that_keeps_its_place() -> None:
    image = ImageAsset(path="/d/fig.png")
    page = Page(source="a.pdf", page_number=3, text="  Pitch the tent.  ", images=(image,))

    (chunk,) = splitter().split([page], DOCUMENT)

    assert chunk.chunk_id == "doc1:00000"
    assert chunk.content == "Pitch the tent."
    assert (chunk.page_number, chunk.citation) == (3, "a.pdf#page=3")
    assert chunk.images == (image,)


def test_long_text_is_cut_at_sentence_ends_within_the_limit_with_overlap() -> None:
    page = Page(source="a.pdf", page_number=1, text=" ".join(SENTENCES))

    chunks = splitter(chunk_tokens=50, overlap_tokens=12).split([page], DOCUMENT)

    assert [c.chunk_id for c in chunks] == [f"doc1:{i:05d}" for i in range(len(chunks))]
    assert all(TOKENIZER.count(c.content) <= 50 for c in chunks)
    assert all(c.content.endswith(".") and c.content.startswith("Sentence") for c in chunks)
    for before, after in itertools.pairwise(chunks):
        last_sentence = "Sentence" + before.content.rsplit("Sentence", 1)[1]
        assert after.content.startswith(last_sentence)  # ~one sentence (~12 tokens) of overlap
    covered = {s for s in SENTENCES if any(s in c.content for c in chunks)}
    assert covered == set(SENTENCES)


def two_pages(source: str) -> list[Page]:
    return [
        Page(source=source, page_number=1, text=" ".join(SENTENCES[:20])),
        Page(source=source, page_number=2, text=" ".join(SENTENCES[20:])),
    ]


def numbers_in(text: str) -> set[int]:
    return {int(word) for word in text.replace(".", "").split() if word.isdigit()}


def test_pdf_chunks_read_on_across_a_page_break_and_cite_the_page_where_they_start() -> None:
    chunks = splitter().split(two_pages("a.pdf"), DOCUMENT)

    crossing = [c for c in chunks if {20, 21} <= numbers_in(c.content)]
    assert len(crossing) == 1
    assert crossing[0].citation == "a.pdf#page=1"
    for chunk in chunks:
        first_sentence = min(numbers_in(chunk.content) - {1, 2} or numbers_in(chunk.content))
        assert chunk.page_number == (1 if first_sentence <= 20 else 2)
        assert chunk.citation == f"a.pdf#page={chunk.page_number}"
    covered = {s for s in SENTENCES if any(s in c.content for c in chunks)}
    assert covered == set(SENTENCES)


def test_slides_and_pdfs_with_flow_switched_off_never_share_a_chunk_across_pages() -> None:
    slides = splitter().split(two_pages("deck.pptx"), DOCUMENT)
    pdf_pages = TokenSplitter(
        tokenizer=TOKENIZER, chunk_tokens=50, overlap_tokens=10, flow_across_pages=False
    ).split(two_pages("a.pdf"), DOCUMENT)

    for chunk in [*slides, *pdf_pages]:
        page_range = range(1, 21) if chunk.page_number == 1 else range(21, 41)
        assert numbers_in(chunk.content) - {1, 2} <= set(page_range)


def test_a_gap_in_page_numbers_breaks_the_flow() -> None:
    first, second = two_pages("a.pdf")
    pages = [first, second.model_copy(update={"page_number": 5})]

    chunks = splitter().split(pages, DOCUMENT)

    assert not any({20, 21} <= numbers_in(c.content) for c in chunks)


def test_a_page_that_names_a_figure_starts_a_chunk_so_the_figure_is_cited_with_its_page() -> None:
    figure = ImageAsset(path="/a/figure2_1.png", figure_name="figure2_1.png")
    render = ImageAsset(path="/a/page2.png")
    pages = [
        Page(source="a.pdf", page_number=1, text=" ".join(SENTENCES[:3])),
        Page(
            source="a.pdf",
            page_number=2,
            text="[Figure figure2_1.png]\n\n" + " ".join(SENTENCES[3:5]),
            images=(figure, render),
        ),
        Page(source="a.pdf", page_number=3, text=SENTENCES[5]),
    ]

    first, second = splitter(chunk_tokens=200).split(pages, DOCUMENT)

    assert (first.citation, first.images) == ("a.pdf#page=1", ())
    # Chat cites a figure as its chunk's citation + "(figure2_1.png)": page 2, where it is.
    assert (second.citation, second.images) == ("a.pdf#page=2", (figure, render))
    assert SENTENCES[5] in second.content  # the page after a figure page still reads on


def test_a_pages_unnamed_images_go_only_with_the_chunks_that_cover_it() -> None:
    render = ImageAsset(path="/a/page2.png")
    pages = two_pages("a.pdf")
    pages[1] = pages[1].model_copy(update={"images": (render,)})

    chunks = splitter().split(pages, DOCUMENT)

    for chunk in chunks:
        covers_page_2 = bool(numbers_in(chunk.content) & set(range(21, 41)))
        assert chunk.images == ((render,) if covers_page_2 else ())


def test_the_title_counts_against_the_budget_and_is_embedded_with_the_chunk() -> None:
    page = Page(source="g.md", title="Summit Lantern > Care", text=" ".join(SENTENCES))

    chunks = splitter(chunk_tokens=40, overlap_tokens=0).split([page], DOCUMENT)

    assert len(chunks) > 1
    assert all(c.title == "Summit Lantern > Care" for c in chunks)
    assert all(embedding_text(c).startswith("Summit Lantern > Care\n") for c in chunks)
    assert all(TOKENIZER.count(embedding_text(c)) <= 40 for c in chunks)


def catalog_page(text: str) -> Page:
    fields = {"name": "Tent", "category": "Tents", "brand": "Acme", "price": 250.0}
    return Page(
        source="p.csv",
        record_id="7",
        text=text,
        kind=ChunkKind.CATALOG,
        title="Tent",
        fields=fields,
    )


def test_a_catalog_record_stays_whole_up_to_max_tokens() -> None:
    record = catalog_page("Tent\n" + " ".join(SENTENCES[:8]))  # ~100 tokens

    (chunk,) = splitter(chunk_tokens=50, max_tokens=150).split([record], DOCUMENT)

    assert chunk.content == record.text
    assert (chunk.citation, chunk.kind) == ("p.csv#id=7", ChunkKind.CATALOG)
    assert (chunk.category, chunk.brand, chunk.price) == ("Tents", "Acme", 250.0)


def test_a_catalog_record_longer_than_the_limit_is_split_and_keeps_its_fields() -> None:
    record = catalog_page("Tent\n" + " ".join(SENTENCES[:8]))

    chunks = splitter(chunk_tokens=50).split([record], DOCUMENT)

    assert len(chunks) >= 2
    assert {(c.citation, c.price, c.category) for c in chunks} == {("p.csv#id=7", 250.0, "Tents")}


def test_text_without_spaces_is_cut_by_characters() -> None:
    blob = "".join(chr(ord("a") + (i * 7) % 26) for i in range(3000))

    chunks = splitter(chunk_tokens=50, overlap_tokens=0).split(
        [Page(source="x", text=blob)], DOCUMENT
    )

    assert all(TOKENIZER.count(c.content) <= 50 for c in chunks)
    assert "".join(c.content for c in chunks) == blob


def test_a_page_without_text_gives_no_chunk() -> None:
    assert splitter().split([Page(source="a.pdf", page_number=1, text=" \n ")], DOCUMENT) == []


def test_inconsistent_sizes_are_refused() -> None:
    with pytest.raises(ConfigError, match="overlap_tokens"):
        TokenSplitter(tokenizer=TOKENIZER, chunk_tokens=40, overlap_tokens=30)
    with pytest.raises(ConfigError, match="max_tokens"):
        TokenSplitter(tokenizer=TOKENIZER, chunk_tokens=100, max_tokens=50)


ENGLISH = (
    "The TrailMaster X4 tent sleeps four adults and packs down to the size of a sleeping bag. "
    "Its polyester fly is coated with polyurethane, rated to 1500 mm of water column, and the "
    "aluminium poles clip onto pre-bent hubs so that one person can pitch it in under ten minutes. "
    "Warranty claims must include the original receipt; damage from misuse, UV exposure, or "
    "unauthorized modifications isn't covered. For returns within 30 days, contact support@"
    "example.com with your order number (e.g., #A-10293) and we'll e-mail a prepaid label. "
)


@pytest.mark.models
def test_default_chunks_fit_the_embedders_word_piece_limit() -> None:
    from tokenizers import Tokenizer

    from ridgeline.providers.embedder import packaged_model_path

    # The embedder's own WordPiece tokenizer, with [CLS] and [SEP] added like at embedding time.
    word_pieces = Tokenizer.from_file(str(Path(packaged_model_path()) / "tokenizer.json"))
    page = Page(
        source="m.md", title="TrailMaster X4 Tent > Warranty and returns", text=ENGLISH * 12
    )

    chunks = TokenSplitter(tokenizer=TOKENIZER).split([page], DOCUMENT)

    lengths = [len(word_pieces.encode(embedding_text(c)).ids) for c in chunks]
    assert len(chunks) > 3
    assert max(lengths) <= 256


TABLE = "\n".join(
    ["| Model | Sleeps | Weight |", "|---|---|---|"]
    + [f"| Tent model {n} | {n % 6 + 1} | {n}.5 kg |" for n in range(1, 9)]
)


def test_a_table_that_fits_is_never_cut_even_across_chunk_boundaries() -> None:
    text = " ".join(SENTENCES[:5]) + "\n\n" + TABLE + "\n\n" + " ".join(SENTENCES[5:10])
    page = Page(source="a.pdf", page_number=1, text=text)

    chunks = splitter(chunk_tokens=160, overlap_tokens=12).split([page], DOCUMENT)

    holding = [c for c in chunks if "| Model |" in c.content]
    assert len(holding) == 1 and TABLE in holding[0].content
    assert all(c.content.count("| Tent model") in (0, 8) for c in chunks)
    assert all(TOKENIZER.count(c.content) <= 160 for c in chunks)


def test_a_table_bigger_than_a_chunk_is_split_by_rows_repeating_the_header() -> None:
    page = Page(source="a.pdf", page_number=2, text="Weights:\n\n" + TABLE)

    chunks = splitter(chunk_tokens=60, overlap_tokens=0).split([page], DOCUMENT)

    parts = [c.content for c in chunks if "| Model" in c.content]
    assert len(parts) > 1
    assert all(
        p.startswith("| Model | Sleeps | Weight |\n|---|---|---|\n| Tent model") for p in parts
    )
    rows = [line for p in parts for line in p.split("\n")[2:]]
    assert rows == TABLE.split("\n")[2:]  # every row once, in order, none cut
    assert all(TOKENIZER.count(c.content) <= 60 for c in chunks)


def test_a_chunk_carries_the_figures_it_names_and_unnamed_images_go_everywhere() -> None:
    figure = ImageAsset(path="/a/figure1_1.png", figure_name="figure1_1.png")
    render = ImageAsset(path="/a/page1.png")
    text = " ".join(SENTENCES[:8]) + "\n\n[Figure figure1_1.png]\n\n" + " ".join(SENTENCES[8:16])
    page = Page(source="a.pdf", page_number=1, text=text, images=(figure, render))

    chunks = splitter(chunk_tokens=60, overlap_tokens=0).split([page], DOCUMENT)

    for chunk in chunks:
        named = "[Figure figure1_1.png]" in chunk.content
        assert chunk.images == ((figure, render) if named else (render,))
    assert sum("[Figure figure1_1.png]" in c.content for c in chunks) == 1


def test_an_audio_page_is_cited_by_its_start_time() -> None:
    page = Page(source="talk.mp3", text="Hello.", fields={"start_seconds": 754.9})

    (chunk,) = splitter().split([page], DOCUMENT)

    assert chunk.citation == "talk.mp3#t=12:34"


@pytest.mark.models
def test_table_chunks_fit_the_embedders_word_piece_limit() -> None:
    from tokenizers import Tokenizer

    from ridgeline.providers.embedder import packaged_model_path

    word_pieces = Tokenizer.from_file(str(Path(packaged_model_path()) / "tokenizer.json"))
    rows = [
        f"| SKU-{n:05d} | 3.{n}kg | ${n * 7.25:,.2f} | 2024-0{n % 9 + 1}-1{n % 9} |"
        for n in range(90)
    ]
    table = "\n".join(["| SKU | Weight | Price | Date |", "|---|---|---|---|", *rows])
    page = Page(source="p.pdf", page_number=1, title="Price list > 2024", text=table)

    chunks = TokenSplitter(tokenizer=TOKENIZER).split([page], DOCUMENT)

    lengths = [len(word_pieces.encode(embedding_text(c)).ids) for c in chunks]
    assert len(chunks) > 3
    assert max(lengths) <= 256


def test_a_chunk_across_a_page_break_marks_where_the_next_page_begins() -> None:
    from ingestion.page_flow import PageFlow
    from ridgeline.types import Page

    pages = [
        Page(source="a.pdf", page_number=1, text="First page ends here."),
        Page(source="a.pdf", page_number=2, text="Second page starts here."),
    ]
    flow = PageFlow.join(pages)
    marked = flow.marked(0, len(flow.text), flow.text)
    assert marked == "First page ends here.\n[Page 2]\nSecond page starts here."


def test_sentence_windows_are_small_disjoint_and_numbered_as_windows() -> None:
    text = " ".join(SENTENCES[:12])
    page = Page(source="a.pdf", page_number=2, text=text)

    windows = splitter(chunk_tokens=30, overlap_tokens=0, windows=True).split([page], DOCUMENT)

    assert [c.chunk_id for c in windows] == [f"doc1:w{i:05d}" for i in range(len(windows))]
    assert len(windows) >= 4 and all(TOKENIZER.count(c.content) <= 30 for c in windows)
    assert all(c.content.endswith(".") for c in windows)  # cut at sentence ends
    # No overlap: the windows put back together are the page, each word once.
    assert " ".join(c.content for c in windows) == text
    assert {c.citation for c in windows} == {"a.pdf#page=2"}


def test_sentence_windows_refuse_an_overlap() -> None:
    with pytest.raises(ConfigError, match="do not overlap"):
        splitter(chunk_tokens=30, overlap_tokens=5, windows=True)


# Sentences of ~22 tokens: a 10-token overlap lands inside the last one.
LONG_SENTENCES = [
    f"Sentence {n} explains that the tent number {n} packs into a green stuff sack with two "
    "aluminium poles and eight stakes." for n in range(1, 21)
]  # fmt: skip


def test_with_sentence_starts_every_overlapping_chunk_opens_at_the_sentence_it_shares() -> None:
    page = Page(source="a.pdf", page_number=1, text=" ".join(LONG_SENTENCES))

    plain = splitter(chunk_tokens=80, overlap_tokens=10).split([page], DOCUMENT)
    chunks = splitter(chunk_tokens=80, overlap_tokens=10, sentence_starts=True).split(
        [page], DOCUMENT
    )

    assert any(not c.content.startswith("Sentence") for c in plain)  # the default cuts mid-way
    assert all(c.content.startswith("Sentence") for c in chunks)
    assert all(TOKENIZER.count(c.content) <= 80 for c in chunks)
    for before, after in itertools.pairwise(chunks):
        last_sentence = "Sentence" + before.content.rsplit("Sentence", 1)[1]
        assert after.content.startswith(last_sentence)  # the whole last sentence, shared
    assert {s for s in LONG_SENTENCES if any(s in c.content for c in chunks)} == set(LONG_SENTENCES)


def test_sentence_starts_share_nothing_rather_than_more_than_half_a_chunk() -> None:
    # One sentence longer than half a chunk: going back to its start would repeat most of it.
    long_one = "The stakes " + "and the poles " * 20 + "go in the bag."
    page = Page(source="a.pdf", page_number=1, text=f"{long_one} {long_one} {long_one}")

    chunks = splitter(chunk_tokens=80, overlap_tokens=10, sentence_starts=True).split(
        [page], DOCUMENT
    )

    assert len(chunks) == 3
    assert all(c.content == long_one for c in chunks)
