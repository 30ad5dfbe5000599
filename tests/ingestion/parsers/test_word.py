import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Inches

from ingestion.parsers.archive_limits import ArchiveLimits
from ingestion.parsers.word import DocxParser
from ridgeline.errors import CorruptFileError, IngestionError


@pytest.fixture
def guide_docx(tmp_path: Path, picture_file: Path) -> Path:
    document = docx.Document()
    document.add_heading("Tent guide", 0)
    document.add_paragraph("Read this before your trip.")
    document.add_heading("Sizes", 1)
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Model", "Sleeps"), ("TrailMaster", "4")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_heading("Pitching", 2)
    document.add_paragraph("The pitched tent looks like this.")
    document.add_picture(str(picture_file), width=Inches(2))
    path = tmp_path / "guide.docx"
    document.save(str(path))
    return path


def test_sections_are_titled_by_their_heading_path(guide_docx: Path) -> None:
    pages = list(DocxParser().parse(guide_docx, source="guide.docx"))

    assert [page.title for page in pages] == [
        "Tent guide",
        "Tent guide > Sizes",
        "Tent guide > Sizes > Pitching",
    ]
    assert pages[0].text == "Read this before your trip."
    assert pages[1].text == "| Model | Sleeps |\n|---|---|\n| TrailMaster | 4 |"
    assert all(page.page_number is None for page in pages)


def test_an_embedded_picture_is_saved_as_a_figure_with_its_paragraph(
    guide_docx: Path, tmp_path: Path
) -> None:
    parser = DocxParser(assets_dir=tmp_path / "assets")

    pitching = list(parser.parse(guide_docx, source="guide.docx"))[-1]

    (figure,) = pitching.images
    assert figure.figure_name == "figure1.png" and Path(figure.path).is_file()
    assert figure.context == "The pitched tent looks like this."
    assert pitching.text.endswith("[Figure figure1.png]")


def write_zip_bomb(path: Path, *, megabytes: int = 20) -> Path:
    """A zip whose single member inflates from ~20 KB to ``megabytes`` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (megabytes * 1024 * 1024))
    return path


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    bomb = write_zip_bomb(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 100_000

    with pytest.raises(IngestionError, match=r"bomb\.docx: refused as a possible zip bomb.*ratio"):
        list(DocxParser().parse(bomb, source="bomb.docx"))


def test_an_archive_over_the_size_limit_is_refused(guide_docx: Path) -> None:
    parser = DocxParser(archive_limits=ArchiveLimits(max_uncompressed_bytes=10_000))

    with pytest.raises(IngestionError, match=r"would expand to [\d,]+ bytes, above the limit"):
        list(parser.parse(guide_docx, source="guide.docx"))


def test_a_file_that_is_not_a_zip_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_text("not a zip")

    with pytest.raises(CorruptFileError, match=r"fake\.docx: not a readable Office file"):
        list(DocxParser().parse(path, source="fake.docx"))


def test_a_zip_that_is_not_a_word_document_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")

    with pytest.raises(CorruptFileError, match=r"other\.docx: not a readable Word document"):
        list(DocxParser().parse(path, source="other.docx"))
