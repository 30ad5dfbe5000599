"""List questions: the items that follow a heading or a lead-in ending in ":", not the lead-in
alone, each item cited to the page it is on.

A list is about its lead-in and about the section it is in: a Markdown manual's "Care and
Cleaning" list never says "care" or "sleeping bag" in its items, but its heading path ("Dormouse
20 Sleeping Bag: Owner's Manual > Care and Cleaning", the chunk's title) does. The lead-in (or the
heading that leads the list) must share a word with the question; the heading path may supply
the rest.

Usage::

    best_list("How do I care for the bag?", hits)
    # [("Care and Cleaning: Store the bag loose. Spot-clean the shell.", "bag.md")]
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from chat.citations import on_page
from chat.models.terms import content_terms
from chat.sentences import split_sentences
from ridgeline.text_lines import LIST_ITEM as _ITEM
from ridgeline.text_lines import MARKDOWN_HEADING as _HEADING
from ridgeline.text_lines import PAGE_LINE, is_heading, wraps
from ridgeline.types import ChunkKind, SearchHit

_MAX_ITEMS = 8
_LIST_SOURCES = 3

Piece = tuple[str, str]


@dataclass(frozen=True)
class _List:
    lead: str
    items: tuple[tuple[str, str], ...]  # each item's text and the page it starts on
    citation: str  # the page the lead-in is on
    rank: int
    # Words of the heading path of the section the list is in (the chunk's title).
    section: frozenset[str] = frozenset()


def best_list(question: str, sources: Sequence[SearchHit]) -> list[Piece] | None:
    """The list whose lead-in (or heading) shares most words with ``question``, with its
    items; ``None`` when no list's lead-in (with its heading path) names enough of it."""
    asked = content_terms(question)
    scored = []
    for found in _lists(sources[:_LIST_SOURCES]):
        lead = content_terms(found.lead)
        lead_overlap = len(asked & lead)
        about = len(asked & (lead | found.section))
        item_overlap = len(asked & content_terms(" ".join(text for text, _ in found.items)))
        # The lead-in must name part of what is asked and, with the section's heading path,
        # most of it: "care" and "bag" for "How do I care for the bag?"; one shared word
        # ("claim") picks some other list.
        if lead_overlap and about * 2 >= len(asked):
            score = 2 * lead_overlap + (about - lead_overlap) + item_overlap
            scored.append((-score, found.rank, found))
    if not scored:
        return None
    chosen = min(scored, key=lambda s: (s[0], s[1]))[2]
    return cited_list(chosen.lead.rstrip(":") + ":", chosen.citation, chosen.items)


def items_after(sentence: str, hit: SearchHit) -> list[tuple[str, str]]:
    """The list items that follow ``sentence`` in ``hit``'s text when it is a lead-in ending in
    ":" (a quoted lead-in alone says nothing), each with the page it starts on."""
    if not sentence.rstrip().endswith(":") or hit.chunk.kind == ChunkKind.CATALOG:
        return []
    tail = " ".join(sentence.split())[-40:]
    for found in _lists_in(hit.chunk.content, "", hit.chunk.citation, 0):
        lead = " ".join(found.lead.split())
        if lead.endswith(tail) or tail.endswith(lead[-40:]):
            return list(found.items[:_MAX_ITEMS])
    return []


def cited_list(lead: str, page: str, items: Sequence[tuple[str, str]]) -> list[Piece]:
    """``lead`` followed by its items, each run of items cited to the page it is on; the lead
    goes with the first run when that run is on the lead's page."""
    groups = _by_page(items[:_MAX_ITEMS])
    if groups and groups[0][1] == page:
        first, *rest = groups
        return [(f"{lead} {first[0]}", page), *rest]
    return [(lead, page), *groups]


def _by_page(items: Sequence[tuple[str, str]]) -> list[Piece]:
    """Items joined into one text per run of items on the same page."""
    groups: list[tuple[list[str], str]] = []
    for text, page in items:
        if groups and groups[-1][1] == page:
            groups[-1][0].append(_sentence(text))
        else:
            groups.append(([_sentence(text)], page))
    return [(" ".join(texts), page) for texts, page in groups]


def _lists(sources: Sequence[SearchHit]) -> Iterator[_List]:
    for rank, hit in enumerate(sources):
        chunk = hit.chunk
        if chunk.kind == ChunkKind.CATALOG:
            continue
        title = (chunk.title or "").split(">")[-1].strip()
        section = content_terms(chunk.title or "")
        yield from _lists_in(chunk.content, title, chunk.citation, rank, section)


def _lists_in(
    text: str, title: str, citation: str, rank: int, section: frozenset[str] = frozenset()
) -> Iterator[_List]:
    reader = _Reader(title, citation, rank, section)
    for line in text.splitlines():
        if found := reader.read(line):
            yield found
    if found := reader.finished():
        yield found


class _Reader:
    """Reads a chunk line by line, keeping the lead-in, the items under it and the page."""

    def __init__(self, title: str, citation: str, rank: int, section: frozenset[str]) -> None:
        self.citation, self.rank, self.section = citation, rank, section
        self.lead, self.lead_page, self.page = title, citation, citation
        self.items: list[tuple[str, str]] = []
        self.prose: list[tuple[str, str]] = []  # the paragraph's lines so far, with their page
        # Lines after an item: its next sentences if another item follows, else prose.
        self.pending: list[tuple[str, str]] = []

    def read(self, line: str) -> _List | None:
        if found_page := PAGE_LINE.fullmatch(line.strip()):
            # A page break does not end a list; the list cites the page its lead-in is on.
            self.page = on_page(self.citation, int(found_page.group(1)))
        elif item := _ITEM.match(line):
            if self.pending:
                self._extend([t for t, _ in self.pending])
            self.items.append((item.group(1).strip(), self.page))
            self.prose, self.pending = [], []
        elif not line.strip():
            self.prose, self.pending = [], []
        elif self.items and not self.pending and wraps(self.items[-1][0], line):
            self._extend([line.strip()])  # a wrapped item goes on
        elif self.items and not _is_lead(line):
            self.pending.append((line.strip(), self.page))
        else:
            return self._starts(line)
        return None

    def _extend(self, lines: list[str]) -> None:
        """More of the last item: it still cites the page it starts on."""
        text, page = self.items[-1]
        self.items[-1] = (" ".join([text, *lines]), page)

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
            return _List(self.lead, tuple(self.items), self.lead_page, self.rank, self.section)
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


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
