"""User text -> a safe full-text query for LanceDB's native BM25 index.

The index splits on whitespace and punctuation and lower-cases, so only the word characters of
the user's text matter. Keeping just those words means quotes, colons, parentheses or a trailing
``AND`` can never reach a query parser (an unbalanced quote would otherwise become a phrase query,
which the index, built without positions, rejects).

    >>> fts_terms('title:"Trail shoes" AND (size 42)')
    'title trail shoes and size 42'
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")


def fts_terms(text: str) -> str:
    """The lower-cased words of ``text`` joined by spaces ('' when there are none)."""
    return " ".join(_WORD.findall(text.lower()))
