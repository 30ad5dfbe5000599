"""Chunk ids: a document's id and the chunk's ordinal in it, in reading order.

A passage chunk is ``<document_id>:00042``; a sentence window is ``<document_id>:w00042``. The
ordinal lets a reader fetch a window's neighbours by id through any index backend (every
``SearchIndex`` fetches by id), and the ``w`` says how the index was cut, chunk by chunk, so an
index built one way and searched the other is noticed on its first hit, whatever the backend,
and so is an index where files were ingested both ways.

>>> chunk_id("3f2a", 7, window=True)
'3f2a:w00007'
>>> parse_chunk_id("3f2a:w00007")
ChunkId(document_id='3f2a', ordinal=7, window=True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Chunking = Literal["passage", "sentence-window"]

_FORM = re.compile(r"^(?P<document>.+):(?P<window>w?)(?P<ordinal>\d{5,})$")


@dataclass(frozen=True)
class ChunkId:
    document_id: str
    ordinal: int
    window: bool

    def __str__(self) -> str:
        return chunk_id(self.document_id, self.ordinal, window=self.window)

    def neighbour(self, offset: int) -> ChunkId | None:
        """The chunk ``offset`` places after this one (before, if negative); None before 0."""
        ordinal = self.ordinal + offset
        if ordinal < 0:
            return None
        return ChunkId(self.document_id, ordinal, self.window)


def chunk_id(document_id: str, ordinal: int, *, window: bool = False) -> str:
    return f"{document_id}:{'w' if window else ''}{ordinal:05d}"


def parse_chunk_id(value: str) -> ChunkId | None:
    """The parts of an id the splitter wrote; None for ids written another way (a benchmark's
    own records, a catalog row written by hand)."""
    match = _FORM.match(value)
    if match is None:
        return None
    return ChunkId(match["document"], int(match["ordinal"]), window=bool(match["window"]))


def chunking_of(value: str) -> Chunking | None:
    """How the chunk with this id was cut, when its id says so."""
    parsed = parse_chunk_id(value)
    if parsed is None:
        return None
    return "sentence-window" if parsed.window else "passage"
