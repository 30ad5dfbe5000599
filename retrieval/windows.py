"""Sentence-window retrieval: rank small windows, answer with the passage around each.

An index cut into sentence windows (``RIDGELINE_CHUNKING=sentence-window``) ranks windows of a
few sentences with the usual rankings and fusion, which a long chunk can dilute: one matching
sentence weighs less in a 200-token vector than in a 40-token one. The reader needs more than
the sentence, so each window found is grown back into a passage: its neighbours, by ordinal in
the chunk id (:mod:`ridgeline.chunk_ids`), fetched by id through the ``SearchIndex`` protocol,
so every backend grows the same passage. A passage never leaves the window's page and section
(the same citation and title) nor its access lists, and keeps the window's citation and id.

>>> retriever = PassageRetriever(  # doctest: +SKIP
...     inner, index=index, chunking="sentence-window", tokenizer=tokenizer, passage_tokens=200
... )
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from retrieval.list_tails import continue_lists
from ridgeline.chunk_ids import ChunkId, Chunking, chunk_id, chunking_of, parse_chunk_id
from ridgeline.errors import ConfigError
from ridgeline.protocols import Retriever, SearchIndex, Tokenizer
from ridgeline.ranking import RankingField
from ridgeline.settings import RetrievalMode
from ridgeline.types import Chunk, ImageAsset, SearchFilters, SearchHit

_LINE_START = re.compile(r"\s*(?:\||\[Figure |[-*+] |\d+[.)] |#)")
_SENTENCE_ENDS = (".", "!", "?", ":")
_PROSE_ENDS = (*_SENTENCE_ENDS, ";", ",", ")")


class PassageRetriever:
    """A :class:`ridgeline.protocols.Retriever` that returns passages whatever the index holds.

    ``chunking`` is how the index is expected to be cut: ``passage`` returns ``inner``'s hits
    as they are, except that a passage ending inside a list is followed by the list's rest from
    the next chunk (:mod:`retrieval.list_tails`); ``sentence-window`` grows each window hit
    into a passage of at most ``passage_tokens`` content tokens. A hit cut the other way raises
    ConfigError: windows read as passages would be answered from a sentence or two, and passages
    grown as windows would repeat their overlaps.
    """

    def __init__(
        self,
        inner: Retriever,
        *,
        index: SearchIndex,
        chunking: Chunking,
        tokenizer: Tokenizer,
        passage_tokens: int,
        window_tokens: int = 60,
    ) -> None:
        if passage_tokens < 1 or window_tokens < 1:
            raise ValueError("passage_tokens and window_tokens must be at least 1")
        self._inner = inner
        self._index = index
        self._chunking = chunking
        self._tokenizer = tokenizer
        self._passage_tokens = passage_tokens
        # Windows are at least half their budget except at the end of a page: twice the
        # passage over the window size reaches any passage the budget allows.
        self._radius = -(-2 * passage_tokens // window_tokens)

    @property
    def inner(self) -> Retriever:
        return self._inner

    def search(
        self,
        text: str,
        *,
        mode: RetrievalMode,
        top: int,
        filters: SearchFilters | None = None,
        image: Path | None = None,
        skip: int = 0,
        weights: Mapping[RankingField, float] | None = None,
    ) -> list[SearchHit]:
        hits = self._inner.search(
            text, mode=mode, top=top, filters=filters, image=image, skip=skip, weights=weights
        )
        refuse_other_chunking(hits, expected=self._chunking)
        if self._chunking == "passage":
            # A passage cut inside a list gets the list's rest from the next chunk.
            return continue_lists(hits, self._index)
        return self.passages(hits)

    def passages(self, hits: Sequence[SearchHit]) -> list[SearchHit]:
        """Each window hit with its passage as content; other hits unchanged. One fetch."""
        windows = {hit.chunk.chunk_id: parse_chunk_id(hit.chunk.chunk_id) for hit in hits}
        wanted = sorted(
            {
                str(near)
                for window in windows.values()
                if window is not None and window.window
                for offset in range(-self._radius, self._radius + 1)
                if offset and (near := window.neighbour(offset)) is not None
            }
        )
        around = self._index.fetch(wanted) if wanted else {}
        grown = []
        for hit in hits:
            window = windows[hit.chunk.chunk_id]
            if window is None or not window.window:
                grown.append(hit)
                continue
            chunk = self._passage(hit.chunk, window, around)
            grown.append(hit.model_copy(update={"chunk": chunk}))
        return grown

    def _passage(self, window: Chunk, at: ChunkId, around: Mapping[str, Chunk]) -> Chunk:
        """The window with its neighbours, nearest first, alternating after and before."""
        used = self._tokenizer.count(window.content)
        taken: dict[int, list[Chunk]] = {1: [], -1: []}
        open_sides = [1, -1]
        while open_sides:
            for side in list(open_sides):
                near = at.neighbour(side * (len(taken[side]) + 1))
                chunk = around.get(str(near)) if near is not None else None
                cost = self._tokenizer.count(chunk.content) if chunk is not None else 0
                if (
                    chunk is None
                    or not _same_place(chunk, window)
                    or used + cost > self._passage_tokens
                    or len(taken[side]) >= self._radius
                ):
                    open_sides.remove(side)
                    continue
                used += cost
                taken[side].append(chunk)
        pieces = [*reversed(taken[-1]), window, *taken[1]]
        return window.model_copy(
            update={"content": _joined([p.content for p in pieces]), "images": _images(pieces)}
        )


def stored_chunking(index: SearchIndex) -> Chunking | None:
    """How the index's chunks were cut, read off its first document's first chunk id (every
    backend fetches by id); None for an empty index or ids written another way."""
    documents = index.list_documents()
    if not documents:
        return None
    first = documents[0].document_id
    found = index.fetch([chunk_id(first, 0), chunk_id(first, 0, window=True)])
    return next((chunking_of(key) for key in found), None)


def refuse_other_chunking(hits: Sequence[SearchHit], *, expected: Chunking) -> None:
    """ConfigError when a hit was cut the other way (by its id; ids of another form pass)."""
    for hit in hits:
        found = chunking_of(hit.chunk.chunk_id)
        if found is not None and found != expected:
            raise ConfigError(
                f"the index holds {found} chunks ({hit.chunk.source}) but RIDGELINE_CHUNKING is "
                f"{expected}: search with RIDGELINE_CHUNKING={found}, or ingest again into a new "
                f"index directory with RIDGELINE_CHUNKING={expected} (`ridgeline ingest "
                "--reprocess PATHS --index NEW_DIR`)"
            )


def _same_place(chunk: Chunk, window: Chunk) -> bool:
    """Same document, page (citation), section (title) and readers: a passage of one place."""
    return (
        chunk.document_id == window.document_id
        and chunk.citation == window.citation
        and chunk.title == window.title
        and chunk.access_users == window.access_users
        and chunk.access_groups == window.access_groups
    )


def _joined(contents: Sequence[str]) -> str:
    """Windows were cut at spaces or line breaks, which they do not keep; tables, figure lines
    and a heading line that starts a window keep a line of their own."""
    text = contents[0]
    for content in contents[1:]:
        apart = (
            _own_line(text.rsplit("\n", 1)[-1])
            or _own_line(content)
            or _opens_with_line(text, content)
        )
        text += ("\n" if apart else " ") + content
    return text


def _opens_with_line(text: str, content: str) -> bool:
    """A window after a finished sentence whose first line is a whole line that ends no
    sentence ("Care and Cleaning\nWash by hand."): a heading or label, which a space would glue
    onto the sentence under it. A reader still joins a prose line to its paragraph."""
    first, newline, _ = content.partition("\n")
    return (
        bool(newline)
        and text.rstrip().endswith(_SENTENCE_ENDS)
        and not first.rstrip().endswith(_PROSE_ENDS)
    )


def _own_line(line: str) -> bool:
    """Table rows, figure lines and list items start a line of their own."""
    return bool(_LINE_START.match(line))


def _images(pieces: Sequence[Chunk]) -> tuple[ImageAsset, ...]:
    seen: dict[str, ImageAsset] = {}
    for piece in pieces:
        for image in piece.images:
            seen.setdefault(image.path, image)
    return tuple(seen.values())
