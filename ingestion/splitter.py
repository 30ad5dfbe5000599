"""Cut pages into chunks small enough to embed, counting tiktoken tokens.

Every chunk cites the page where it starts. Chunks cross a page break only inside a PDF, where
the break is layout (``ingestion/page_flow.py``); slides, sheets, sections, records and audio
segments are cut on their own. Cuts prefer the end of a sentence or paragraph, and consecutive
chunks share about ``overlap_tokens`` tokens so that a fact on a boundary is whole in at least
one chunk. A catalog record stays one chunk
unless it is longer than ``max_tokens``.

Why 200 tokens: the packaged embedder (all-MiniLM-L6-v2) reads at most 256 BERT word pieces and
silently truncates the rest, and tiktoken tokens are not word pieces. Measured on this project's
kind of English (20 product manuals, product descriptions, two benefit-handbook PDFs; cl100k_base
against the model's own WordPiece tokenizer) there are 1.03 word pieces per tiktoken token on
average, and 1.21 in the worst 200-token window. So 200 tokens, title included (the title is
counted against the budget because it is embedded with the chunk), is at most ~242 word pieces
plus [CLS] and [SEP]: safely under 256.

Tables (Markdown blocks) and figure lines (``[Figure figure3_1.png]``) are never cut: each is one
indivisible unit that goes whole into a chunk. A table larger than a whole chunk is the one
exception, and it is split between rows, each part repeating the header rows, so that every part
still reads as a table. A chunk carries the figures it names; images that no chunk names (a
standalone image, catalog photos, page renders) go with every chunk that covers their page.
Audio pages (with ``fields["start_seconds"]``) are cited ``talk.mp3#t=MM:SS``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingestion.page_flow import PageFlow, page_images, page_runs
from ingestion.parsers.anchors import FIGURE_LINE, timestamp_anchor
from ridgeline.chunk_ids import chunk_id
from ridgeline.errors import ConfigError
from ridgeline.protocols import Tokenizer
from ridgeline.types import (
    Chunk,
    ChunkKind,
    ImageAsset,
    Page,
    SourceDocument,
    citation_for,
    indexed_text,
)

_WORD = re.compile(r"\s*\S+")
# Sentence ends, ASCII and CJK, optionally followed by closing quotes or brackets.
_SENTENCE_END = re.compile("[.!?\u3002\uff01\uff1f][\"'\u2019\u201d)\\]]*$")
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*\n")
# A Markdown table: two or more consecutive lines that start and end with a pipe.
_TABLE = re.compile(r"^[ \t]*\|.*\|[ \t]*(?:\n[ \t]*\|.*\|[ \t]*)+$", re.MULTILINE)
_TABLE_HEADER_LINES = 2  # the header row and the |---| separator


def citation_for_page(page: Page) -> str:
    """``citation_for`` plus the time anchor of audio pages: ``talk.mp3#t=01:23``."""
    start = page.fields.get("start_seconds")
    if page.record_id is None and page.page_number is None and isinstance(start, int | float):
        return f"{page.source}#t={timestamp_anchor(float(start))}"
    return citation_for(page.source, page_number=page.page_number, record_id=page.record_id)


def _atomic_spans(text: str) -> list[tuple[int, int]]:
    """Where the tables and figure lines are, in order; they must not be cut."""
    spans = [m.span() for m in _TABLE.finditer(text)]
    spans += [m.span() for m in FIGURE_LINE.finditer(text) if not _within(m.span(), spans)]
    return sorted(spans)


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start <= span[0] < end for start, end in spans)


def embedding_text(chunk: Chunk) -> str:
    """What is sent to the embedder: the chunk's title for context, then its content (the same
    text BM25 indexes: :func:`ridgeline.types.indexed_text`)."""
    return indexed_text(chunk)


@dataclass(frozen=True)
class _Unit:
    """A word with the whitespace before it; ``strong`` if a sentence or paragraph ends here."""

    start: int
    end: int
    tokens: int
    strong: bool


class TokenSplitter:
    """Splits pages into chunks of at most ``chunk_tokens`` tokens (title included).

    ``windows``: the chunks are sentence windows (``chunk_tokens`` small, no overlap, catalog
    records whole up to ``max_tokens``), with window ids (:mod:`ridgeline.chunk_ids`), which
    ``retrieval/windows.py`` grows back into passages around the windows it finds.

    >>> splitter = TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=200)  # doctest: +SKIP
    >>> chunks = splitter.split(pages, document)  # doctest: +SKIP
    >>> chunks[0].chunk_id, chunks[0].citation  # doctest: +SKIP
    ('3f2a...:00000', 'handbook.pdf#page=1')
    """

    def __init__(
        self,
        *,
        tokenizer: Tokenizer,
        chunk_tokens: int = 200,
        overlap_tokens: int = 20,
        max_tokens: int | None = None,
        flow_across_pages: bool = True,
        windows: bool = False,
        sentence_starts: bool = False,
    ) -> None:
        if chunk_tokens < 16:
            raise ConfigError(f"chunk_tokens must be at least 16 (got {chunk_tokens})")
        if not 0 <= overlap_tokens <= chunk_tokens // 2:
            raise ConfigError(
                f"overlap_tokens ({overlap_tokens}) must be between 0 and half of "
                f"chunk_tokens ({chunk_tokens})"
            )
        if max_tokens is not None and max_tokens < chunk_tokens:
            raise ConfigError(f"max_tokens ({max_tokens}) must be >= chunk_tokens ({chunk_tokens})")
        if windows and overlap_tokens:
            # Windows are stitched back into passages at read time: shared words would repeat.
            raise ConfigError(f"sentence windows do not overlap (got overlap {overlap_tokens})")
        self._tokenizer = tokenizer
        self.chunk_tokens = chunk_tokens
        self.overlap_tokens = overlap_tokens
        self.max_tokens = chunk_tokens if max_tokens is None else max_tokens
        self.flow_across_pages = flow_across_pages
        self.windows = windows
        self.sentence_starts = sentence_starts

    def split(self, pages: Sequence[Page], document: SourceDocument) -> list[Chunk]:
        """All chunks of a document, numbered in reading order."""
        chunks: list[Chunk] = []
        runs = page_runs(pages) if self.flow_across_pages else [[page] for page in pages]
        for run in runs:
            if len(run) == 1:
                page = run[0]
                pieces = [(page, c, page_images(page, c)) for c in self.split_page(page)]
            else:
                pieces = self.split_flow(PageFlow.join(run))
            for page, content, images in pieces:
                chunks.append(
                    _chunk(page, content, document, images, index=len(chunks), window=self.windows)
                )
        return chunks

    def split_flow(self, flow: PageFlow) -> list[tuple[Page, str, tuple[ImageAsset, ...]]]:
        """Chunks of a run of pages read as one text: (start page, content, images) each."""
        budget = self._budget(max((self._title_cost(page) for page in flow.pages), default=0))
        return [
            (
                flow.page_at(begin),
                flow.marked(begin, end, content),
                flow.images_for(begin, end, content),
            )
            for begin, end, content in self._located(flow.text, budget)
        ]

    def split_page(self, page: Page) -> list[str]:
        """The texts of one page's chunks; none for a page without text."""
        text = page.text.strip()
        if not text:
            return []
        title_cost = self._title_cost(page)
        budget = self._budget(title_cost)
        whole_limit = budget
        if page.kind is ChunkKind.CATALOG:
            whole_limit = max(self.max_tokens - title_cost, budget)
        if self._tokenizer.count(text) <= whole_limit:
            return [text]
        return [content for _, _, content in self._located(text, budget)]

    def _title_cost(self, page: Page) -> int:
        return self._tokenizer.count(page.title) + 1 if page.title else 0

    def _budget(self, title_cost: int) -> int:
        # A title longer than half the budget is the embedder's problem, not a reason to loop.
        return max(self.chunk_tokens - title_cost, self.chunk_tokens // 2)

    def _located(self, text: str, budget: int) -> list[tuple[int, int, str]]:
        """The pieces of ``text`` with where each lies in it: (start, end, content).

        Table parts repeat their header, so a part of a big table is placed at the whole table.
        """
        located: list[tuple[int, int, str]] = []
        for start, end, is_big_table in self._part_spans(text, budget):
            part = text[start:end]
            if is_big_table:
                located += [(start, end, piece) for piece in self.split_table(part, budget=budget)]
                continue
            for piece_start, piece_end in self._text_spans(part, budget):
                raw = part[piece_start:piece_end]
                content = raw.strip()
                begin = start + piece_start + len(raw) - len(raw.lstrip())
                located.append((begin, begin + len(content), content))
        return [item for item in located if item[2]]

    def _part_spans(self, text: str, budget: int) -> list[tuple[int, int, bool]]:
        """The text cut around tables too big for one chunk: (start, end, is_big_table)."""
        parts: list[tuple[int, int, bool]] = []
        position = 0
        for match in _TABLE.finditer(text):
            if self._tokenizer.count(match.group()) <= budget:
                continue
            parts.append((position, match.start(), False))
            parts.append((match.start(), match.end(), True))
            position = match.end()
        parts.append((position, len(text), False))
        return [(start, end, big) for start, end, big in parts if text[start:end].strip()]

    def split_table(self, table: str, *, budget: int) -> list[str]:
        """A Markdown table too big for one chunk, cut between rows; each part repeats the header.

        Rows are never cut, except a single row bigger than a whole chunk, which is split as text.
        """
        lines = table.strip().split("\n")
        header = "\n".join(lines[:_TABLE_HEADER_LINES])
        row_budget = budget - self._tokenizer.count(header) - 1
        if row_budget < budget // 4:  # a header this large leaves no room: treat it as text
            return self.split_text(table, budget=budget)
        pieces: list[str] = []
        rows: list[str] = []
        used = 0
        for row in lines[_TABLE_HEADER_LINES:]:
            cost = self._tokenizer.count(row) + 1
            if cost > row_budget:
                pieces.extend(self.split_text(row, budget=budget))
                continue
            if rows and used + cost > row_budget:
                pieces.append("\n".join([header, *rows]))
                rows, used = [], 0
            rows.append(row)
            used += cost
        if rows:
            pieces.append("\n".join([header, *rows]))
        return pieces

    def split_text(self, text: str, *, budget: int) -> list[str]:
        """Pack words into pieces of at most ``budget`` tokens, cutting at sentences if possible."""
        return [text[start:end].strip() for start, end in self._text_spans(text, budget)]

    def _text_spans(self, text: str, budget: int) -> list[tuple[int, int]]:
        """Where ``split_text``'s pieces are in ``text`` (before stripping)."""
        units = self._units(text, budget)
        overlap = min(self.overlap_tokens, budget // 2)
        pieces: list[tuple[int, int]] = []
        start = 0
        while start < len(units):
            end = _fill(units, start, budget)
            if end < len(units):
                end = _prefer_sentence_end(units, start, end, budget)
            end = self._fit_exactly(text, units, start, end, budget)
            pieces.append((units[start].start, units[end - 1].end))
            if end >= len(units):
                break
            next_start = _overlap_start(units, start, end, overlap)
            if self.sentence_starts:
                next_start = _sentence_start(units, start, end, next_start, reach=budget // 2)
            # The next piece must reach past this one, or the overlap would repeat forever.
            start = next_start if _fill(units, next_start, budget) > end else end
        return pieces

    def _units(self, text: str, budget: int) -> list[_Unit]:
        units: list[_Unit] = []
        position = 0
        for start, end in _atomic_spans(text):
            units.extend(self._prose_units(text, position, start, budget))
            tokens = self._tokenizer.count(text[start:end])
            if tokens > budget:  # only an oversized figure line: cut it like text
                units.extend(self._prose_units(text, start, end, budget))
            else:
                units.append(_Unit(start, end, tokens, strong=True))
            position = end
        units.extend(self._prose_units(text, position, len(text), budget))
        return units

    def _prose_units(self, text: str, begin: int, stop: int, budget: int) -> list[_Unit]:
        units: list[_Unit] = []
        for match in _WORD.finditer(text, begin, stop):
            after = text[match.end() : match.end() + 8]
            strong = bool(_SENTENCE_END.search(match.group())) or bool(
                _PARAGRAPH_BREAK.match(after)
            )
            units.extend(
                self._word_units(text, match.start(), match.end(), strong=strong, budget=budget)
            )
        return units

    def _word_units(
        self, text: str, start: int, end: int, *, strong: bool, budget: int
    ) -> list[_Unit]:
        tokens = self._tokenizer.count(text[start:end])
        if tokens <= budget:
            return [_Unit(start, end, tokens, strong)]
        # A "word" longer than a whole chunk (a data blob, text without spaces): cut by characters.
        width = budget
        while width > 1 and self._tokenizer.count(text[start : start + width]) > budget:
            width //= 2
        pieces = []
        for piece_start in range(start, end, width):
            piece_end = min(piece_start + width, end)
            piece_tokens = self._tokenizer.count(text[piece_start:piece_end])
            pieces.append(_Unit(piece_start, piece_end, piece_tokens, strong and piece_end == end))
        return pieces

    def _fit_exactly(self, text: str, units: list[_Unit], start: int, end: int, budget: int) -> int:
        # Summed word counts are close to the count of the joined text, not always equal.
        while (
            end > start + 1
            and self._tokenizer.count(text[units[start].start : units[end - 1].end]) > budget
        ):
            end -= 1
        return end


def _fill(units: list[_Unit], start: int, budget: int) -> int:
    """End (exclusive) of the longest run from ``start`` within ``budget``; at least one unit."""
    total = 0
    end = start
    while end < len(units) and total + units[end].tokens <= budget:
        total += units[end].tokens
        end += 1
    return max(end, start + 1)


def _prefer_sentence_end(units: list[_Unit], start: int, end: int, budget: int) -> int:
    """Pull ``end`` back to the last sentence end, unless that leaves less than half a chunk."""
    total = sum(unit.tokens for unit in units[start:end])
    for cut in range(end, start, -1):
        if total < budget // 2:
            break
        if units[cut - 1].strong:
            return cut
        total -= units[cut - 1].tokens
    return end


def _overlap_start(units: list[_Unit], start: int, end: int, overlap: int) -> int:
    """Where the next piece starts: ~``overlap`` tokens back, at a sentence start if one is near."""
    tail = 0
    begin = end
    while begin - 1 > start and tail + units[begin - 1].tokens <= overlap:
        begin -= 1
        tail += units[begin].tokens
    kept = tail
    for candidate in range(begin, end):
        if units[candidate - 1].strong and kept >= overlap // 2:
            return candidate
        kept -= units[candidate].tokens
    return begin


def _sentence_start(units: list[_Unit], start: int, end: int, plain: int, *, reach: int) -> int:
    """The next piece's start moved back from ``plain`` to the start of the sentence it falls
    in, so that no piece opens mid-sentence, sharing at most ``reach`` tokens with this one; if
    that sentence starts further back, the end of this piece when it ends a sentence (no
    overlap), else ``plain``."""
    if plain >= end or units[plain - 1].strong:
        return plain  # no overlap asked, or already at a sentence start
    tail = sum(unit.tokens for unit in units[plain:end])
    for candidate in range(plain - 1, start, -1):
        tail += units[candidate].tokens
        if tail > reach:
            break
        if units[candidate - 1].strong:
            return candidate
    return end if units[end - 1].strong else plain


def _text_field(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _price_field(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _chunk(
    page: Page,
    content: str,
    document: SourceDocument,
    images: tuple[ImageAsset, ...],
    *,
    index: int,
    window: bool,
) -> Chunk:
    return Chunk(
        chunk_id=chunk_id(document.document_id, index, window=window),
        document_id=document.document_id,
        source=page.source,
        citation=citation_for_page(page),
        content=content,
        kind=page.kind,
        page_number=page.page_number,
        title=page.title,
        category=_text_field(page.fields.get("category")),
        brand=_text_field(page.fields.get("brand")),
        price=_price_field(page.fields.get("price")),
        images=images,
    )
