"""Shared helpers of the HTTP security tests (tests/security/test_http_*.py): hostile inputs
built in memory, raw requests on a socket, and the chat app served on 127.0.0.1.

No conftest.py here on purpose: the ingestion-side tests in this package bring their own.
"""

from __future__ import annotations

import base64
import io
import socket
import struct
import zlib
from pathlib import Path

from PIL import Image

ALICE = {"X-Ridgeline-User": "alice"}
BOB = {"X-Ridgeline-User": "bob"}


def ask(question: str, **body: object) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": question}], **body}


def with_image(url: str, question: str = "What is this?") -> dict[str, object]:
    parts = [{"type": "text", "text": question}, {"type": "image_url", "image_url": {"url": url}}]
    return {"messages": [{"role": "user", "content": parts}]}


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def small_png(size: tuple[int, int] = (32, 24)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header says ``width`` x ``height``: one all-zero grey scanline
    per row, deflated (a decompression bomb when the size is huge)."""

    def block(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload) & 0xFFFFFFFF
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    rows = compressor.compress(b"\x00" * (width + 1) * min(height, 64)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + block(b"IHDR", header) + block(b"IDAT", rows) + block(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'


def raw_exchange(base_url: str, request: bytes, *, wait_s: float = 5.0) -> bytes:
    """Sends ``request`` as is and returns what the server answers within ``wait_s`` seconds
    (the connection stays open: a server waiting for more body answers nothing)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=wait_s) as conn:
        conn.sendall(request)
        reply = b""
        try:
            while b"\r\n\r\n" not in reply or not _complete(reply):
                chunk = conn.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except TimeoutError:
            pass
    return reply


def _complete(reply: bytes) -> bool:
    head, _, body = reply.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":", 1)[1])
    return True


def status_of(reply: bytes) -> int:
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/") else 0


def write_pdf_with_figure(path: Path, *, text: str, colour: tuple[int, int, int]) -> Path:
    """A one-page PDF (fpdf2) with a sentence and a 200x150 picture that becomes a figure."""
    from fpdf import FPDF

    picture = Image.new("RGB", (200, 150), colour)
    for x in range(0, 200, 10):  # some detail, so the figure is not a flat colour block
        picture.paste((255 - colour[0], 80, x), (x, 0, x + 5, 150))
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    pdf.image(picture, x=20, y=40, w=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path
