from pathlib import Path

import pytest

from ingestion.parsers.text_files import read_text_file
from ridgeline.errors import CorruptFileError


def test_utf8_with_bom_and_windows_1252_are_both_read(tmp_path: Path) -> None:
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes("\ufeffcafé".encode())
    legacy = tmp_path / "b.txt"
    legacy.write_bytes("café €5".encode("cp1252"))

    assert read_text_file(utf8) == "café"
    assert read_text_file(legacy) == "café €5"


def test_binary_content_is_refused_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    path.write_bytes(b"\x89PNG\x00\x00\x01")

    with pytest.raises(CorruptFileError, match=r"data\.txt.*binary"):
        read_text_file(path)
