"""When the sources cannot answer: a name the question asks about that no source mentions.

"What are the benefits of the Northwind Platinum plan?" shares most words with the Standard
plan's pages, but no source names "Platinum": quoting the Standard plan would answer another
question. A name is a capitalised word inside the question (not its first word) or a number.

Usage::

    unknown_names("How does the plan work in California?", hits)  # ["California"]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from chat.models.terms import content_terms, normalise
from ridgeline.types import SearchHit

_NAME = re.compile(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w'-]*[\w])")


def unknown_names(question: str, sources: Sequence[SearchHit]) -> list[str]:
    """The names in ``question`` that none of ``sources`` (text or title) contains."""
    names = {match.group(1) for match in _NAME.finditer(question.strip())}
    asked = [name for name in names if content_terms(name)]
    if not asked:
        return []
    known: set[str] = set()
    for hit in sources:
        known |= content_terms(f"{hit.chunk.title or ''} {hit.chunk.source} {hit.chunk.content}")
    return sorted(name for name in asked if normalise(name) not in known)
