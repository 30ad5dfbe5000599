"""Finding and checking the bracketed citations in an answer text.

Usage::

    find_citations("Tents cost $250. [products.csv#id=7]")  # ["products.csv#id=7"]
    keep_known_citations("A. [a.pdf#page=1] B. [made-up.pdf]", {"a.pdf#page=1"})
    # -> ("A. [a.pdf#page=1] B.", ["made-up.pdf"])
"""

from __future__ import annotations

import re
from collections.abc import Collection

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
