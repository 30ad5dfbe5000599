"""Finding and checking the bracketed citations in an answer text.

Usage::

    find_citations("Tents cost $250. [products.csv#id=7]")  # ["products.csv#id=7"]
    keep_known_citations("A. [a.pdf#page=1] B. [made-up.pdf]", {"a.pdf#page=1"})
    # -> ("A. [a.pdf#page=1] B.", ["made-up.pdf"])
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path, PurePosixPath

from ingestion.parsers.anchors import PAGE_LINE
from ridgeline.types import SearchHit

# A citation names a file (something with an extension), optionally with a "#page=N" or "#id=N"
# anchor and a "(figure.png)" suffix. Other bracketed text ("[sic]", "[1]") is left alone.
_CITATION = re.compile(
    r"\s*\[([^\[\]\n]+?\.[A-Za-z0-9]{1,8}(?:#[^\[\]\n()]*)?(?:\([^\[\]\n]*\))?)\]"
)


def find_citations(text: str) -> list[str]:
    """The citations of ``text`` in order of first appearance, each once."""
    return list(dict.fromkeys(match.group(1).strip() for match in _CITATION.finditer(text)))


def keep_known_citations(text: str, known: Collection[str]) -> tuple[str, list[str]]:
    """``text`` without the citations that are not in ``known``, and the ones removed."""
    cleaned, removed = drop_unknown_citations(text, known)
    return cleaned.strip(), removed


def drop_unknown_citations(text: str, known: Collection[str]) -> tuple[str, list[str]]:
    """Like :func:`keep_known_citations`, but the text's outer whitespace is left as it is."""
    removed: list[str] = []

    def _drop_unknown(match: re.Match[str]) -> str:
        ref = match.group(1).strip()
        if ref in known:
            return match.group(0)
        removed.append(ref)
        return ""

    return _CITATION.sub(_drop_unknown, text), list(dict.fromkeys(removed))


def known_citations(hits: Sequence[SearchHit]) -> set[str]:
    """Citations an answer may use: each source's, each page a chunk runs onto (its
    ``[Page N]`` lines: a sentence after one cites page N), and each figure as "ref(figure.png)"
    on any of those pages."""
    known: set[str] = set()
    for hit in hits:
        figures = [PurePosixPath(Path(image.path).as_posix()).name for image in hit.chunk.images]
        for page in _pages_of(hit.chunk.citation, hit.chunk.content):
            known.add(page)
            known.update(f"{page}({name})" for name in figures)
    return known


def on_page(citation: str, page: int) -> str:
    """``a.pdf#page=7`` -> ``a.pdf#page=8``; a citation without a page stays as it is."""
    return _PAGE_ANCHOR.sub(f"#page={page}", citation) if "#page=" in citation else citation


def _pages_of(citation: str, content: str) -> Iterator[str]:
    yield citation
    if "#page=" in citation:
        for line in PAGE_LINE.finditer(content):
            yield on_page(citation, int(line.group(1)))


_PAGE_ANCHOR = re.compile(r"#page=\d+")
