from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from ingestion.parsers.powerpoint import PptxParser
from ingestion.splitter import TokenSplitter
from ridgeline.errors import IngestionError
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.types import SourceDocument
from tests.ingestion.parsers.test_word import write_zip_bomb


@pytest.fixture
def deck(tmp_path: Path, picture_file: Path) -> Path:
    presentation = Presentation()
    first = presentation.slides.add_slide(presentation.slide_layouts[1])
    first.shapes.title.text = "Winter camping"
    first.placeholders[1].text = "Pick a four-season tent."
    first.notes_slide.notes_text_frame.text = "Mention the snow skirt."
    second = presentation.slides.add_slide(presentation.slide_layouts[5])
    second.shapes.title.text = "Tents compared"
    table = second.shapes.add_table(2, 2, Inches(1), Inches(2), Inches(4), Inches(1)).table
    for (row, col), value in {
        (0, 0): "Model",
        (0, 1): "Sleeps",
        (1, 0): "Igloo",
        (1, 1): "3",
    }.items():
        table.cell(row, col).text = value
    second.shapes.add_picture(str(picture_file), Inches(5), Inches(2))
    path = tmp_path / "deck.pptx"
    presentation.save(str(path))
    return path


def test_each_slide_is_a_page_numbered_by_slide_with_its_notes(deck: Path) -> None:
    first, second = PptxParser().parse(deck, source="deck.pptx")

    assert (first.page_number, first.title) == (1, "Winter camping")
    assert first.text == (
        "Winter camping\n\nPick a four-season tent.\n\nNotes: Mention the snow skirt."
    )
    assert (second.page_number, second.title) == (2, "Tents compared")
    assert "| Model | Sleeps |\n|---|---|\n| Igloo | 3 |" in second.text


def test_slide_chunks_cite_the_slide_and_pictures_become_figures(
    deck: Path, tmp_path: Path
) -> None:
    pages = list(PptxParser(assets_dir=tmp_path / "assets").parse(deck, source="deck.pptx"))
    document = SourceDocument(
        document_id="d", path=deck, source="deck.pptx", content_hash="h", size_bytes=1
    )

    chunks = TokenSplitter(tokenizer=TiktokenTokenizer()).split(pages, document)

    assert [chunk.citation for chunk in chunks] == ["deck.pptx#page=1", "deck.pptx#page=2"]
    (figure,) = chunks[1].images
    assert figure.figure_name == "figure2_1.png" and Path(figure.path).is_file()
    assert figure.context.startswith("Tents compared")
    assert chunks[0].images == ()


def test_a_zip_bomb_named_pptx_is_refused(tmp_path: Path) -> None:
    bomb = write_zip_bomb(tmp_path / "bomb.pptx")

    with pytest.raises(IngestionError, match="zip bomb"):
        list(PptxParser().parse(bomb, source="bomb.pptx"))
