"""Lists that run into the next chunk: a passage that ends inside a list gets the list's rest.

The splitter cuts at a token budget, not where a list ends, so a lead-in ("Here are a few tips to
help you make the most of your hospital coverage:") can close one chunk while its items open the
next. Read alone, such a passage offers its reader (the offline answerer or an LLM) a promise
without the items. Chunk ids are sequential per document (:mod:`ridgeline.chunk_ids`), so the
next chunk is fetched by id through the ``SearchIndex`` protocol, one fetch for all hits, and
every backend continues the same lists.

Only a chunk of the same document, section (title) and readers continues a list: a list never
borrows text its reader may not see. What is added is the next chunk's text after the overlap the
two chunks share, up to where the list ends (a line that is neither an item nor part of one); a
``[Page N]`` line marks it when it starts on another page, so each item cites the page it is on.
The hit keeps its id, citation and rank.

>>> continued = continue_lists(hits, index)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence

from ridgeline.chunk_ids import parse_chunk_id
from ridgeline.protocols import SearchIndex
from ridgeline.text_lines import (
    LIST_ITEM,
    MARKDOWN_HEADING,
    PAGE_LINE,
    is_heading,
    is_lead_in,
    page_marker,
)
from ridgeline.text_lines import wraps as wraps_item
from ridgeline.types import Chunk, ChunkKind, SearchHit

_ENDS = (".", "!", "?", ":", ";")


def continue_lists(hits: Sequence[SearchHit], index: SearchIndex) -> list[SearchHit]:
    """``hits``, each text passage that ends inside a list followed by the list's rest."""
    following = {
        hit.chunk.chunk_id: str(next_id)
        for hit in hits
        if hit.chunk.kind == ChunkKind.TEXT
        and ends_in_list(hit.chunk.content)
        and (parsed := parse_chunk_id(hit.chunk.chunk_id)) is not None
        and (next_id := parsed.neighbour(1)) is not None
    }
    if not following:
        return list(hits)
    fetched = index.fetch(sorted(set(following.values())))
    continued = []
    for hit in hits:
        after = fetched.get(following.get(hit.chunk.chunk_id, ""))
        rest = _rest_of_list(hit.chunk, after) if after is not None else ""
        if rest:
            chunk = hit.chunk.model_copy(update={"content": hit.chunk.content + rest})
            hit = hit.model_copy(update={"chunk": chunk})
        continued.append(hit)
    return continued


def ends_in_list(content: str) -> bool:
    """Whether ``content`` ends inside a list: after its last lead-in ("...tips:") come only
    items, their lines, and at most a few sentences that may be an item's (or nothing)."""
    return _open_list(content.split("\n")) is not None


# Lines after an item that start like a new sentence are the item's next sentences when another
# item follows; after this many the list has ended (closing prose), whatever comes next.
_MAX_PENDING = 4


class _Tail:
    """The end of a list being read: its current line and the lines that wait for an item."""

    def __init__(self, lead: str) -> None:
        self.current = lead
        self.items = 0
        self.taken: list[str] = []
        # Lines after an item, kept until an item follows; None: one the passage already holds.
        self.pending: list[str | None] = []

    def feed(self, line: str) -> bool:
        """Reads ``line``; False when it ends the list."""
        if _is_page(line) or not line.strip():
            self.pending.append(line)
        elif LIST_ITEM.match(line):
            self.taken += [p for p in self.pending if p is not None] + [line]
            self.pending, self.current = [], line
            self.items += 1
        elif not self.pending and wraps_item(self.current, line):
            self.taken.append(line)
            self.current = line
        elif is_lead_in(line) or is_heading(line.strip()) or not self.items:
            return False
        else:
            self.pending.append(line)
        return sum(bool(p and p.strip() and not _is_page(p)) for p in self.pending) <= _MAX_PENDING

    def carried_over(self) -> _Tail:
        """This tail, as the next chunk reads on: what is taken now is what that chunk adds."""
        self.taken = []
        self.pending = [None for _ in self.pending]
        return self


def _open_list(lines: Sequence[str]) -> _Tail | None:
    """The list ``lines`` end inside, if any (read from its last lead-in on)."""
    tail: _Tail | None = None
    for line in lines:
        if is_lead_in(line) or MARKDOWN_HEADING.match(line):
            tail = _Tail(line)
        elif tail is not None and not tail.feed(line):
            tail = None
    return tail


def _rest_of_list(chunk: Chunk, after: Chunk) -> str:
    """The text of ``after`` that goes on with ``chunk``'s list, ready to append to it."""
    if not _same_place(after, chunk):
        return ""
    shared = _overlap(chunk.content, after.content)
    rest = after.content[shared:]
    if not shared and _starts_line(chunk.content, rest):
        rest = "\n" + rest  # the cut fell on a line break, which neither chunk keeps
    fragment, _, following = rest.partition("\n")
    # A chunk cut inside a line: that line, made whole, is read as the passage's last.
    lines = chunk.content.split("\n")
    lines[-1] += fragment
    tail = _open_list(lines)
    if tail is None:
        return ""
    # A line cut short is the list's when it is an item's (or when items follow it).
    in_item = not tail.pending
    tail = tail.carried_over()
    for line in following.split("\n") if following else []:
        if not tail.feed(line):
            break
    if not tail.taken and not (in_item and fragment.strip()):
        return ""
    page = _page_change(chunk, after, rest)
    if page is not None:
        # The rest starts on another page: on lines of its own, after that page's line.
        return "\n" + "\n".join([page, *([fragment] if fragment.strip() else []), *tail.taken])
    return fragment + "".join(f"\n{line}" for line in tail.taken)


def _overlap(content: str, after: str) -> int:
    """How many leading characters of ``after`` repeat the end of ``content`` (the splitter's
    overlap), starting at a word of ``content``; 0 when none do."""
    for start in range(max(0, len(content) - len(after)), len(content)):
        at_word = start == 0 or content[start - 1].isspace()
        if at_word and not content[start].isspace() and after.startswith(content[start:]):
            return len(content) - start
    return 0


def _starts_line(content: str, rest: str) -> bool:
    """Whether text that shares nothing with ``content`` starts a line of its own: an item, a
    page line, or anything after a finished sentence."""
    first = rest.split("\n", 1)[0]
    return bool(LIST_ITEM.match(first)) or _is_page(first) or content.rstrip().endswith(_ENDS)


def _page_change(chunk: Chunk, after: Chunk, rest: str) -> str | None:
    """The page line to write before the rest, when it starts on a page ``chunk`` ends before."""
    pages = PAGE_LINE.findall(chunk.content)
    ends_on = int(pages[-1]) if pages else chunk.page_number
    starts_on = after.page_number
    first_line = rest.lstrip("\n").split("\n", 1)[0]
    if starts_on is None or starts_on == ends_on or _is_page(first_line):
        return None
    return page_marker(starts_on)


def _is_page(line: str) -> bool:
    return PAGE_LINE.fullmatch(line.strip()) is not None


def _same_place(chunk: Chunk, other: Chunk) -> bool:
    """Same document, section (title) and readers: a list goes on only within one place that
    the same people may read."""
    return (
        chunk.document_id == other.document_id
        and chunk.title == other.title
        and chunk.kind == other.kind
        and chunk.access_users == other.access_users
        and chunk.access_groups == other.access_groups
    )
