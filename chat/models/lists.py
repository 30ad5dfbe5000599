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

from chat.citations import on_page
from chat.models.terms import content_terms
from ingestion.parsers.anchors import PAGE_LINE
from ridgeline.types import ChunkKind, SearchHit

_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")
_MAX_ITEMS = 8
_LIST_SOURCES = 3


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
    for found in _lists(sources[:_LIST_SOURCES]):
        lead_overlap = len(asked & content_terms(found.lead))
        item_overlap = len(asked & content_terms(" ".join(found.items)))
        # The lead-in must name most of what is asked: "care" and "bag" for "How do I care
        # for the bag?"; one shared word ("claim") picks some other list.
        if lead_overlap and lead_overlap * 2 >= len(asked):
            scored.append((-(2 * lead_overlap + item_overlap), found.rank, found))
    if not scored:
        return None
    chosen = min(scored, key=lambda s: (s[0], s[1]))[2]
    lead = chosen.lead.rstrip(":")
    items = " ".join(_sentence(item) for item in chosen.items[:_MAX_ITEMS])
    return [(f"{lead}: {items}", chosen.citation)]


def items_after(sentence: str, hit: SearchHit) -> list[str]:
    """The list items that follow ``sentence`` in ``hit``'s text when it is a lead-in ending in
    ":" (a quoted lead-in alone says nothing)."""
    if not sentence.rstrip().endswith(":") or hit.chunk.kind == ChunkKind.CATALOG:
        return []
    tail = " ".join(sentence.split())[-40:]
    for found in _lists_in(hit.chunk.content, "", hit.chunk.citation, 0):
        lead = " ".join(found.lead.split())
        if lead.endswith(tail) or tail.endswith(lead[-40:]):
            return [_sentence(item) for item in found.items[:_MAX_ITEMS]]
    return []


def _lists(sources: Sequence[SearchHit]) -> Iterator[_List]:
    for rank, hit in enumerate(sources):
        chunk = hit.chunk
        if chunk.kind == ChunkKind.CATALOG:
            continue
        title = (chunk.title or "").split(">")[-1].strip()
        yield from _lists_in(chunk.content, title, chunk.citation, rank)


def _lists_in(text: str, title: str, citation: str, rank: int) -> Iterator[_List]:
    lead, items = title, []
    page = lead_page = citation
    for line in text.splitlines():
        if found_page := PAGE_LINE.fullmatch(line.strip()):
            # A page break does not end a list; the list cites the page its lead-in is on.
            page = on_page(citation, int(found_page.group(1)))
            continue
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
            yield _List(lead, tuple(items), lead_page, rank)
        items = []
        lead_page = page
        heading = _HEADING.match(line)
        lead = (
            heading.group(1).strip()
            if heading
            else line.strip()
            if line.rstrip().endswith(":")
            else ""
        )
    if len(items) >= 2 and lead:
        yield _List(lead, tuple(items), lead_page, rank)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
