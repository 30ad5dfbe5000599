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
from chat.sentences import is_heading, split_sentences
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
    reader = _Reader(title, citation, rank)
    for line in text.splitlines():
        if found := reader.read(line):
            yield found
    if found := reader.finished():
        yield found


class _Reader:
    """Reads a chunk line by line, keeping the lead-in, the items under it and the page."""

    def __init__(self, title: str, citation: str, rank: int) -> None:
        self.citation, self.rank = citation, rank
        self.lead, self.lead_page, self.page = title, citation, citation
        self.items: list[str] = []
        self.prose: list[tuple[str, str]] = []  # the paragraph's lines so far, with their page
        # Lines after an item: its next sentences if another item follows, else prose.
        self.pending: list[tuple[str, str]] = []

    def read(self, line: str) -> _List | None:
        if found_page := PAGE_LINE.fullmatch(line.strip()):
            # A page break does not end a list; the list cites the page its lead-in is on.
            self.page = on_page(self.citation, int(found_page.group(1)))
        elif item := _ITEM.match(line):
            if self.pending:
                self.items[-1] = " ".join([self.items[-1], *(t for t, _ in self.pending)])
            self.items.append(item.group(1).strip())
            self.prose, self.pending = [], []
        elif not line.strip():
            self.prose, self.pending = [], []
        elif self.items and not self.pending and _continues(self.items[-1], line):
            self.items[-1] = f"{self.items[-1]} {line.strip()}"  # a wrapped item goes on
        elif self.items and not _is_lead(line):
            self.pending.append((line.strip(), self.page))
        else:
            return self._starts(line)
        return None

    def _starts(self, line: str) -> _List | None:
        """A line after the list (or outside any): it ends the list and may lead the next."""
        ended = self.finished()
        self.items = []
        self.prose = [*self.prose, *self.pending, (line.strip(), self.page)]
        self.pending = []
        heading = _HEADING.match(line)
        self.lead, self.lead_page = (heading.group(1).strip() if heading else "", self.page)
        if not heading and line.rstrip().endswith(":"):
            self.lead, self.lead_page = _lead_in(self.prose)
        return ended

    def finished(self) -> _List | None:
        if len(self.items) >= 2 and self.lead:
            return _List(self.lead, tuple(self.items), self.lead_page, self.rank)
        return None


def _is_lead(line: str) -> bool:
    """A line that starts something after a list: a heading, or a lead-in ending in ":"."""
    return bool(_HEADING.match(line)) or line.rstrip().endswith(":") or is_heading(line.strip())


def _lead_in(prose: list[tuple[str, str]]) -> tuple[str, str]:
    """The last sentence of a paragraph ending in ":" (a lead-in wrapped over several lines:
    "If you need care, there are a few steps" / "you can take:"), and the page it starts on."""
    sentence = split_sentences("\n".join(text for text, _ in prose))[-1]
    if sentence[:1].islower():
        return "", prose[0][1]  # the chunk starts inside it: a cut lead-in names nothing
    said = ""
    for text, page in reversed(prose):
        said = f"{text} {said}".strip()
        if len(said) >= len(sentence):
            return sentence, page
    return sentence, prose[0][1]


def _continues(item: str, line: str) -> bool:
    """Whether ``line`` wraps ``item`` onto the next line: it is indented, starts in lower case,
    or finishes the unfinished item's sentence ("...in-network with Northwind Health" / "Plus.").
    A line such as "Qualifications:" after an unpunctuated item starts something new."""
    text = line.strip()
    if line.startswith((" ", "\t")) or text[:1].islower():
        return True
    return not item.endswith((".", "!", "?", ":", ";")) and text.endswith((".", "!", "?"))


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
