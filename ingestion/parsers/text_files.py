"""Reading text files whose encoding nobody declared."""

from __future__ import annotations

from pathlib import Path

from ridgeline.errors import CorruptFileError

# UTF-8 first (with or without a BOM); cp1252 covers the common legacy Windows export. Latin-1 is
# not tried: it decodes any bytes at all, so binary junk would pass as text.
_ENCODINGS = ("utf-8-sig", "cp1252")


def read_text_file(path: Path) -> str:
    """The file's text with newlines normalised; ``CorruptFileError`` if it is not text."""
    data = path.read_bytes()
    if b"\x00" in data:
        raise CorruptFileError(path, "contains NUL bytes: this is a binary file, not text")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise CorruptFileError(path, "is neither UTF-8 nor Windows-1252 text")
