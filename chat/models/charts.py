"""Questions about a chart: say what the chart is and what it plots, cite it, never read ticks.

A figure drawn in a PDF comes to the answerer as a figure line (``[Figure figure4_1.png] ...``)
holding its offline description and the words printed on it: title, tick labels, legend. The
offline answerer cannot see the drawn lines or bars, so quoting that run of ticks
("5000 4500 4000 ... 2018 2019") answers nothing. When the question is about a chart among the
first sources, this composer names the chart and what it plots (the series in its legend, the
years and values its axes span), says that its values need a vision model, cites the figure,
and adds the best sentence of the chart's own chunk that speaks to the question.

Usage::

    pieces = chart_answer("How did Bitcoin's price change?", hits)   # or None
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from chat.models.segments import Segment, cited_segments
from chat.models.terms import content_terms
from chat.sentences import is_heading, is_label_run, split_sentences
from ingestion.parsers.anchors import FIGURE_LINE
from ridgeline.types import SearchHit

Piece = tuple[str, str]
_FIRST_SOURCES = 3  # a chart further down the sources is not what the question is about
_MIN_SHARED_TERMS = 2
_CHART_WORDS = re.compile(r"\b(?:chart|graph|plot|figure|diagram|trend)s?\b", re.IGNORECASE)
_PRINTED = re.compile(r"(?:Figure text|Visible text):\s*(?P<text>.*?)(?:\.\s+Context:|$)")
_NUMBER = re.compile(r"^[-+]?\$?\d[\d,.]*%?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_MONTH = re.compile(
    r"^(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?$",
    re.IGNORECASE,
)
_TICK_RUN = 3  # this many ticks in a row end the title
_YEAR_GAP = 2
_BULLET = re.compile(r"^[-■•][A-Za-z]")
_BULLETS = {"■", "•", "-"}


@dataclass(frozen=True)
class _Chart:
    segment: Segment  # the figure line
    printed: str  # the words printed on the chart
    nearby: str  # the prose of its page in the chunk that holds it

    @property
    def citation(self) -> str:
        return self.segment.citation

    def is_chart(self) -> bool:
        """Axes (a run of ticks) or a legend (bulleted labels): not a photo with a word on it."""
        tokens = self.printed.split()
        return _title_end(tokens) < len(tokens)

    def title_and_labels(self) -> tuple[str, list[str], list[str]]:
        """The title (the words before the first run of ticks or legend bullet), the label
        phrases after it (legend, axis titles), and the ticks."""
        tokens = self.printed.split()
        start = _title_end(tokens)
        title = " ".join(tokens[:start]).strip(" -")
        rest = tokens[start:]
        return title, _phrases(rest), [t for t in rest if _is_tick(t)]


def chart_answer(question: str, sources: Sequence[SearchHit]) -> list[Piece] | None:
    """The chart the question is about, described and cited, or None when it is about none."""
    asked = content_terms(question)
    if not asked:
        return None
    charts = [
        chart for hit in sources[:_FIRST_SOURCES] for chart in _charts(hit) if chart.is_chart()
    ]
    scored = [(len(asked & content_terms(chart.printed)), chart) for chart in charts]
    scored = [(shared, chart) for shared, chart in scored if shared >= _MIN_SHARED_TERMS]
    if not scored:
        return None
    shared, chart = max(scored, key=lambda pair: pair[0])
    if shared < _best_prose_overlap(asked, sources) and not _CHART_WORDS.search(question):
        return None  # the prose answers it better
    pieces = [(_describe(chart), chart.citation)]
    page_citation = chart.segment.page
    same_page = [  # only what is on the chart's page: text after a [Page N] line is not
        _page_prose(list(cited_segments(hit.chunk.content, hit.chunk.citation)), page_citation)
        for hit in sources[:_FIRST_SOURCES]
        if hit.chunk.citation == page_citation
    ]
    sentence = _best_nearby_sentence(asked, [chart.nearby, *same_page])
    if sentence is not None:
        pieces.append((sentence, page_citation))
    return pieces


def _describe(chart: _Chart) -> str:
    title, labels, ticks = chart.title_and_labels()
    what = f'The chart "{title}"' if title else "A chart"
    parts = [f"{what} {_page_words(chart.citation)} shows this"]
    series = _series(labels)
    if series:
        parts.append(f"for {series}")
    span = _span(ticks)
    if span:
        parts.append(span)
    described = " ".join(parts)
    return (
        f"{described}. Its values are drawn, not printed, so this offline answer cannot read "
        "them: open the figure, or ask with a vision model configured."
    )


def _charts(hit: SearchHit) -> Iterator[_Chart]:
    segments = list(cited_segments(hit.chunk.content, hit.chunk.citation))
    for figure in segments:
        printed = _PRINTED.search(figure.text) if figure.figure else None
        if figure.figure and printed is not None and printed.group("text").strip():
            yield _Chart(figure, printed.group("text"), _page_prose(segments, figure.page))


def _page_prose(segments: list[Segment], page: str) -> str:
    """The prose of a chunk on one page (its figure lines left out)."""
    return "\n\n".join(s.text for s in segments if s.figure is None and s.page == page)


def _best_prose_overlap(asked: frozenset[str], sources: Sequence[SearchHit]) -> int:
    best = 0
    for hit in sources[:_FIRST_SOURCES]:
        prose = FIGURE_LINE.sub("", hit.chunk.content)
        for sentence in split_sentences(prose):
            best = max(best, len(asked & content_terms(sentence)))
    return best


def _best_nearby_sentence(asked: frozenset[str], texts: list[str]) -> str | None:
    """The prose sentence of ``texts`` (the chart's page) sharing most words with the question."""
    best, best_shared = None, 0
    prose = FIGURE_LINE.sub("", "\n\n".join(texts))
    for sentence in split_sentences(prose):
        if is_heading(sentence) or is_label_run(sentence):
            continue
        shared = len(asked & content_terms(sentence))
        if shared > best_shared:
            best, best_shared = sentence, shared
    return best if best_shared >= _MIN_SHARED_TERMS else None


def _is_tick(token: str) -> bool:
    """A number, a month, or a mark with no letters (OCR reads gridlines as "_" or "|")."""
    bare = token.strip("()[],;:■•")
    return bool(_NUMBER.match(bare) or _MONTH.match(bare) or not re.search(r"[^\W\d_]", bare))


def _title_end(tokens: list[str]) -> int:
    """Where the title stops: at a run of ticks or at a legend bullet ("-Stocks", "■ Oil"),
    but not inside parentheses it opened ("(2024 Indexed to 100)")."""
    for start, token in enumerate(tokens):
        if _BULLET.match(token) or token in _BULLETS:
            return _closed(tokens, start)
        run = tokens[start : start + _TICK_RUN]
        if len(run) == _TICK_RUN and all(_is_tick(t) for t in run):
            return _closed(tokens, start)
    return len(tokens)


def _closed(tokens: list[str], end: int) -> int:
    """``end``, moved past the token that closes a parenthesis left open before it."""
    opened = sum(t.count("(") - t.count(")") for t in tokens[:end])
    while opened > 0 and end < len(tokens):
        opened += tokens[end].count("(") - tokens[end].count(")")
        end += 1
    return end


def _phrases(tokens: list[str]) -> list[str]:
    """Label phrases: words between ticks, bullets and unit marks, each once."""
    phrases: list[str] = []
    current: list[str] = []
    for token in tokens:
        ends = _is_tick(token) or token in _BULLETS or token == "%" or _BULLET.match(token)
        if ends and current:
            phrases.append(" ".join(current))
            current = []
        word = token.lstrip("-■•").rstrip("%").strip()
        if "…" in word:  # the printed words were cut here: a fragment is no label
            break
        if not _is_tick(token) and re.search(r"[A-Za-z]{2,}", word):
            current.append(word)
    if current:
        phrases.append(" ".join(current))
    return list(dict.fromkeys(phrases))


def _series(labels: list[str]) -> str:
    if not labels:
        return ""
    text = ", ".join(labels[:-1]) + (" and " if len(labels) > 1 else "") + labels[-1]
    return text if len(text) <= 100 else ""


def _span(ticks: list[str]) -> str:
    """The years the chart spans: the longest run of years among its ticks, each within
    ``_YEAR_GAP`` of the last (a tick the reader missed leaves a gap; a value axis of 2000, 2500,
    3000 holds no years)."""
    years = sorted({int(t.strip("()")) for t in ticks if _YEAR.match(t.strip("()"))})
    runs: list[list[int]] = []
    for year in years:
        if runs and year - runs[-1][-1] <= _YEAR_GAP:
            runs[-1].append(year)
        else:
            runs.append([year])
    longest = max(runs, key=len, default=[])
    return f"over {longest[0]}-{longest[-1]}" if len(longest) >= 2 else ""


def _page_words(citation: str) -> str:
    page = re.search(r"#page=(\d+)", citation)
    return f"on page {page.group(1)}" if page else "in the sources"
