"""Weak point: an inline ``data:`` image in Markdown was indexed as kilobytes of base64 "words".

The picture becomes a figure (its alt text and OCR text are searchable); its bytes are not text.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image

from tests.retrieval.searching import search
from tests.security.ingest_fixtures import ReadsWhatItSees, lance_index, pipeline


def _data_uri() -> tuple[str, str]:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), "teal").save(buffer, format="PNG")
    payload = base64.b64encode(buffer.getvalue()).decode()
    return f"data:image/png;base64,{payload}", payload


def test_inline_image_bytes_are_not_indexed_as_text(tmp_path: Path) -> None:
    uri, payload = _data_uri()
    guide = tmp_path / "guide.md"
    guide.write_text(
        "# Stove\n\nThe stove folds flat. ![Folded stove](" + uri + ")\n\n"
        '<img src="' + uri + '" alt="raw html copy">\n\nBoils water in three minutes.\n',
        encoding="utf-8",
    )
    index_dir = tmp_path / "index"

    report = pipeline(index_dir, ocr=ReadsWhatItSees()).run([guide])

    (result,) = report.added
    assert result.images == 1  # the Markdown image is a stored figure
    index = lance_index(index_dir)
    hits = search(index, text="stove", mode="text", top=10)
    text = "\n".join(hit.chunk.content for hit in hits)
    assert "Folded stove" in text and "Boils water in three minutes." in text
    assert "base64" not in text and payload[:40] not in text
    assert search(index, text=payload[10:30], mode="text", top=5) == []
