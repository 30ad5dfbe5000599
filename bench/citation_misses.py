"""Why answers miss the truth's page: each answerable question of a half, sorted by cause.

Reads a ``bench.refusals cache`` file (the searches of a first run, replayed), answers each
question of the chosen half again through the chat service, and puts each answerable question
whose answer does not cite every truth page into one cause:

- ``not retrieved``: no source (nor a page a source's text runs onto) is a truth page;
- ``refused``: a truth page was among the sources, and the answer declined;
- ``other page``: a truth page was among the sources; the answer quotes other pages only;
- ``part of truth``: the truth cites several pages and the answer some of them.

Don't-know questions that got an answer are listed with what was quoted. With ``--show`` each
miss is printed with its question, truth page, source pages and answer.

Usage::

    python -m bench.citation_misses C.pkl --index IDX [--half tune] [--show]
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.refusals import _ask, _service, halves
from chat.models.segments import cited_segments
from eval.citations import citation_key, extract_citations
from eval.dataset import QaItem
from eval.refusal import is_refusal
from ridgeline.types import SearchHit


class _Capturing:
    """A retriever that remembers the first search of each question (the answer's sources)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.first: list[SearchHit] | None = None

    def search(self, text: str, **kwargs: Any) -> list[SearchHit]:
        hits: list[SearchHit] = self.inner.search(text, **kwargs)
        if self.first is None:
            self.first = hits
        return hits


def source_pages(hits: Sequence[SearchHit]) -> list[str]:
    """Every page the sources' text is on, in rank order (a chunk may run onto a next page)."""
    pages = (
        citation_key(segment.page)
        for hit in hits
        for segment in cited_segments(hit.chunk.content, hit.chunk.citation)
    )
    return list(dict.fromkeys(pages))


def cause(item: QaItem, answer: str, pages: Sequence[str]) -> str | None:
    """Why ``answer`` misses a truth page of ``item`` (None: it cites them all)."""
    truth = {citation_key(c) for c in item.truth_citations}
    cited = set(extract_citations(answer))
    if truth <= cited:
        return None
    if cited & truth:
        return "part of truth"
    if not truth & set(pages):
        return "not retrieved"
    return "refused" if is_refusal(answer) else "other page"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cache_file", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--half", choices=["tune", "untouched", "all"], default="tune")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    saved = pickle.loads(args.cache_file.read_bytes())
    service = _service(args.index, dict(saved["searches"]))
    capturing = _Capturing(service.retriever)
    service.retriever = capturing
    causes: Counter[str] = Counter()
    for item in halves(saved["items"], args.half):
        capturing.first = None
        answer = _ask(service, item.question)
        pages = source_pages(capturing.first or [])
        found = "dont-know answered" if item.expect_refusal else cause(item, answer, pages)
        if item.expect_refusal and is_refusal(answer):
            found = None
        if found is None:
            continue
        causes[found] += 1
        if args.show:
            truth = ", ".join(item.truth_citations)
            print(f"[{found}] Q: {item.question}\n  truth: {truth}\n  sources: {pages}")
            print(f"  A: {answer}\n")
    print(args.half, dict(causes.most_common()))


if __name__ == "__main__":
    main()
