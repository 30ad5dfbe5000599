"""Golden files for the splitter: the exact chunks of a few representative pages.

A change in how text is cut shows up as a diff of ``golden/splitter/*.json``. After checking that
a change is intended, rewrite the files with ``RIDGELINE_UPDATE_GOLDEN=1 pytest <this file>``.
"""

import json
import os
from pathlib import Path

import pytest

from ingestion.splitter import TokenSplitter
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.types import ChunkKind, ImageAsset, Page, SourceDocument

GOLDEN = Path(__file__).parent / "golden" / "splitter"
PROSE = (
    "The TrailMaster X4 sleeps four adults and packs down to the size of a sleeping bag. "
    "Its polyester fly is rated to 1500 mm of water column. The aluminium poles clip onto "
    "pre-bent hubs, so one person can pitch it in under ten minutes. Dry the tent fully before "
    "you store it; mildew voids the warranty. Keep the stakes in their own bag so they do not "
    "tear the floor. "
)
ROWS = [f"| X{n} | {n % 4 + 2} | {1 + n / 10:.1f} kg | ${99 + n * 10} |" for n in range(1, 31)]
PRICE_TABLE = "\n".join(["| Model | Sleeps | Weight | Price |", "|---|---|---|---|", *ROWS])
FIGURE = ImageAsset(path="/assets/figure3_1.png", figure_name="figure3_1.png", context="Fig. 3")

CASES = {
    "pdf_page_with_table_and_figure": [
        Page(
            source="manual.pdf",
            page_number=3,
            title="TrailMaster X4 manual",
            text=PROSE * 2
            + "\n\n"
            + "\n".join(PRICE_TABLE.split("\n")[:8])
            + "\n\n[Figure figure3_1.png]\n\n"
            + PROSE,
            images=(FIGURE,),
        )
    ],
    "pdf_section_across_a_page_break": [
        Page(source="manual.pdf", page_number=7, title="Manual", text="Care.\n\n" + PROSE),
        Page(source="manual.pdf", page_number=8, title="Manual", text=PROSE + "\n\nStorage."),
    ],
    "table_bigger_than_a_chunk": [
        Page(source="prices.xlsx", page_number=1, title="Prices", text=PRICE_TABLE)
    ],
    "catalog_record_and_audio": [
        Page(
            source="products.csv",
            record_id="7",
            kind=ChunkKind.CATALOG,
            title="TrailMaster X4",
            text="TrailMaster X4\nCategory: Tents\nPrice: $250.00\n" + PROSE,
            fields={"name": "TrailMaster X4", "category": "Tents", "price": 250.0},
        ),
        Page(source="talk.mp3", text=PROSE * 3, fields={"start_seconds": 95.0}),
    ],
}


def render(pages: list[Page]) -> list[dict[str, object]]:
    document = SourceDocument(
        document_id="golden", path=Path("/x"), source="x", content_hash="h", size_bytes=1
    )
    splitter = TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=120, overlap_tokens=12)
    return [
        {
            "citation": chunk.citation,
            "title": chunk.title,
            "images": [image.figure_name or image.path for image in chunk.images],
            "content": chunk.content,
        }
        for chunk in splitter.split(pages, document)
    ]


@pytest.mark.parametrize("case", sorted(CASES))
def test_splitter_output_matches_the_golden_file(case: str) -> None:
    path = GOLDEN / f"{case}.json"
    actual = render(CASES[case])
    if os.environ.get("RIDGELINE_UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(actual, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    expected = json.loads(path.read_text(encoding="utf-8"))

    assert actual == expected
