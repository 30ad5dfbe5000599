"""What kind of question is being asked, so that the right composer answers it.

Usage::

    detect_kind("Which is the lightest tent?", has_image=False)
    # QuestionKind(kind="superlative", attribute="weight", direction="min")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.query.superlatives import COMPARATIVES as _COMPARATIVES
from retrieval.query.superlatives import SUPERLATIVES as _SUPERLATIVES
from retrieval.query.superlatives import Direction, first_match

Kind = Literal["lookup", "recommend", "superlative", "compare", "identify", "list", "yesno"]

_RECOMMEND = re.compile(
    r"\b(?:recommend|suggest|do you (?:have|sell|carry|stock)|looking for|like this|similar to|"
    r"i need|i want|what (?:should|would|could) i (?:buy|get|take|bring)|good for|best \w+ for|"
    r"(?:got )?any (?:\w+ ){1,3}(?:under|below|for)|what(?:'s| is) a good|"
    r"any good \w+ (?:under|below|for)|which \w+ should i (?:buy|get|take|bring|choose)|"
    r"i'?m after|i am after)\b|\b(?:under|below|less than) \$",
    re.IGNORECASE,
)
_COMPARE = re.compile(r"\bcompare\b|\bvs\.?\b|\bversus\b|\bdifference between\b", re.IGNORECASE)
_IDENTIFY = re.compile(
    r"^\s*$|\bwhat (?:is|'s) (?:this|that|it)\b|\bwhich (?:product|item|one) is (?:this|that|it)\b|"
    r"\bidentify\b|\bwhat (?:product|item) is\b|\bwhat am i looking at\b",
    re.IGNORECASE,
)
_LIST = re.compile(
    r"\bwhat should i do\b|\bhow (?:do|should|can) i\b|\bsteps\b|\btips\b|\blist\b|"
    r"\bhow to\b|\bwhat do i need\b",
    re.IGNORECASE,
)
_YESNO = re.compile(
    r"^\s*(?:is|are|can|does|do|did|will|should|has|have|was|were)\b(?! you (?:have|sell|carry))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuestionKind:
    """The kind, and for superlatives and comparisons the attribute and which end wins."""

    kind: Kind
    attribute: str | None = None
    direction: Direction | None = None


def detect_kind(question: str, *, has_image: bool) -> QuestionKind:
    """The kind of ``question``; an image with constraints asks for a recommendation."""
    text = question.strip()
    if has_image:
        return QuestionKind("identify" if _IDENTIFY.search(text) else "recommend")
    if _COMPARE.search(text):
        found = _first(_COMPARATIVES, text) or _first(_SUPERLATIVES, text)
        return QuestionKind("compare", *(found or (None, None)))
    if superlative := _first(_SUPERLATIVES, text):
        return QuestionKind("superlative", *superlative)
    comparative = _first(_COMPARATIVES, text)
    if comparative and re.search(r"\bthan\b|\bor\b|\bwhich\b", text, re.IGNORECASE):
        return QuestionKind("compare", *comparative)
    if _RECOMMEND.search(text):
        return QuestionKind("recommend")
    if _LIST.search(text):
        return QuestionKind("list")
    if _YESNO.search(text):
        return QuestionKind("yesno")
    return QuestionKind("lookup")


def _first(
    table: tuple[tuple[str, str, Direction], ...], text: str
) -> tuple[str, Direction] | None:
    return first_match(table, text)
