"""List questions: the items that follow a heading or a lead-in ending in ":", not the lead-in
alone.

Usage::

    best_list("How do I care for the bag?", hits)
    # [("Care and Cleaning:", ""), ("Store the bag loose.", "bag.md"), ...]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from chat.models.terms import content_terms
from ridgeline.types import ChunkKind, SearchHit

_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_MAX_ITEMS = 8


@dataclass(frozen=True)
class _List:
    lead: str
    items: tuple[str, ...]
    citation: str
    rank: int


def best_list(question: str, sources: Sequence[SearchHit]) -> list[tuple[str, str]] | None:
    """The list whose lead-in (or heading) shares most words with ``question``; ``None`` when
    no list's lead-in shares any."""
    asked = content_terms(question)
    scored = []
    for found in _lists(sources):
        lead_overlap = len(asked & content_terms(found.lead))
        item_overlap = len(asked & content_terms(" ".join(found.items)))
        if lead_overlap:
            scored.append((-(2 * lead_overlap + item_overlap), found.rank, found))
    if not scored:
        return None
    chosen = min(scored, key=lambda s: (s[0], s[1]))[2]
    lead = chosen.lead.rstrip(":")
    pieces = [(f"{lead}:", "")]
    pieces += [(_sentence(item), chosen.citation) for item in chosen.items[:_MAX_ITEMS]]
    return pieces


def _lists(sources: Sequence[SearchHit]) -> Iterator[_List]:
    for rank, hit in enumerate(sources):
        chunk = hit.chunk
        if chunk.kind == ChunkKind.CATALOG:
            continue
        title = (chunk.title or "").split(">")[-1].strip()
        yield from _lists_in(chunk.content, title, chunk.citation, rank)


def _lists_in(text: str, title: str, citation: str, rank: int) -> Iterator[_List]:
    lead, items = title, []
    for line in text.splitlines():
        item = _ITEM.match(line)
        if item:
            items.append(item.group(1).strip())
            continue
        if items and line.startswith((" ", "\t")) and line.strip():
            items[-1] = f"{items[-1]} {line.strip()}"  # a wrapped item goes on
            continue
        if not line.strip():
            continue
        if len(items) >= 2 and lead:
            yield _List(lead, tuple(items), citation, rank)
        items = []
        heading = _HEADING.match(line)
        lead = (
            heading.group(1).strip()
            if heading
            else line.strip()
            if line.rstrip().endswith(":")
            else ""
        )
    if len(items) >= 2 and lead:
        yield _List(lead, tuple(items), citation, rank)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
