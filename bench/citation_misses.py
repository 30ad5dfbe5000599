"""Why answers miss the truth's page: each answerable question of a half, sorted by cause.

Reads a ``bench.refusals cache`` file (the searches of a first run, replayed), answers each
question of the chosen half again through the chat service, and puts each answerable question
whose answer does not cite every truth page into one cause:

- ``not retrieved``: no source (nor a page a source's text runs onto) is a truth page;
- ``refused``: a truth page was among the sources, and the answer declined;
- ``other page``: a truth page was among the sources; the answer quotes other pages only;
- ``part of truth``: the truth cites several pages and the answer some of them;
- ``truth's words on cited page`` (with ``--corpus``): the answer cites another page of the
  truth's file, and that page holds more of the truth's words than the page the truth cites.
  The set's truths cite the page where the reference system's chunk began, so a truth whose
  text runs onto the next page cites the page before it.

Don't-know questions that got an answer are listed with what was quoted. With ``--show`` each
miss is printed with its question, truth page, source pages and answer.

Usage::

    python -m bench.citation_misses C.pkl --index IDX [--half tune] [--show] [--corpus DIR]
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
from chat.models.terms import content_terms
from eval.citations import citation_key, extract_citations, strip_citations
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


def cause(
    item: QaItem, answer: str, pages: Sequence[str], words: PageWords | None = None
) -> str | None:
    """Why ``answer`` misses a truth page of ``item`` (None: it cites them all)."""
    truth = {citation_key(c) for c in item.truth_citations}
    cited = set(extract_citations(answer))
    if truth <= cited:
        return None
    if cited & truth:
        return "part of truth"
    if words is not None and _truth_text_on(item, cited, words):
        return "truth's words on cited page"
    if not truth & set(pages):
        return "not retrieved"
    return "refused" if is_refusal(answer) else "other page"


class PageWords:
    """The content words of each page of the PDFs under a folder, read when first asked."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.pages: dict[str, list[frozenset[str]]] = {}

    def of(self, citation: str) -> frozenset[str]:
        name, _, page = citation.partition("#page=")
        if not name.endswith(".pdf") or not page.isdigit():
            return frozenset()
        if name not in self.pages:
            self.pages[name] = _pdf_pages(self.folder / name)
        pages = self.pages[name]
        number = int(page)
        return pages[number - 1] if 1 <= number <= len(pages) else frozenset()


def _pdf_pages(path: Path) -> list[frozenset[str]]:
    import pypdfium2

    if not path.exists():
        return []
    document = pypdfium2.PdfDocument(path)
    texts = (document[i].get_textpage().get_text_range() for i in range(len(document)))
    return [content_terms(text) for text in texts]


def _truth_text_on(item: QaItem, cited: set[str], words: PageWords) -> bool:
    """Whether a cited page of the truth's file holds more of the truth's words than the
    truth's own page."""
    said = content_terms(strip_citations(item.truth))
    for truth_page in item.truth_citations:
        name = truth_page.partition("#")[0]
        own = len(said & words.of(truth_page))
        if any(c.startswith(f"{name}#") and len(said & words.of(c)) > own for c in cited):
            return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("cache_file", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--half", choices=["tune", "untouched", "all"], default="tune")
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--corpus", type=Path, default=None, help="the PDFs, for page text")
    args = parser.parse_args()
    saved = pickle.loads(args.cache_file.read_bytes())
    service = _service(args.index, dict(saved["searches"]))
    capturing = _Capturing(service.retriever)
    service.retriever = capturing
    causes: Counter[str] = Counter()
    words = PageWords(args.corpus) if args.corpus else None
    for item in halves(saved["items"], args.half):
        capturing.first = None
        answer = _ask(service, item.question)
        pages = source_pages(capturing.first or [])
        found = "dont-know answered" if item.expect_refusal else cause(item, answer, pages, words)
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
