from pathlib import Path

from ingestion.parsers.text import TextParser
from ridgeline.types import ChunkKind


def test_a_text_file_is_one_page_without_page_number(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Bring a headlamp.\r\nAnd spare batteries.\n", encoding="utf-8")

    pages = list(TextParser().parse(path, source="notes.txt"))

    assert len(pages) == 1
    assert pages[0].text == "Bring a headlamp.\nAnd spare batteries."
    assert pages[0].page_number is None
    assert pages[0].kind is ChunkKind.TEXT
