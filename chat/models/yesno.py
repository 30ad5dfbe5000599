"""Yes/no questions: the evidence sentence first, phrased as the answer when it says so.

"Is the tent waterproof?" over "The TrailMaster tent is waterproof to 3,000 mm." is answered
"Yes: The TrailMaster tent is waterproof to 3,000 mm." A sentence that holds every word the
question asks about and no negation states what was asked; any other evidence is quoted as it
is, for the reader to judge. When what the question asks about is not in the sources at all
(two of its words, or half of them, occur in none: "Are domestic partners eligible?" over pages
that never mention domestic partners), they cannot say yes or no, and the answer is that they do
not know. One missing word alone is often the question's own phrasing ("Can I return items?").

Usage::

    yes_no(question_terms("Is the tent waterproof?"), pieces, said, negated=False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chat.models.terms import QuestionTerms, content_terms

Piece = tuple[str, str]

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nor|cannot|without|excludes?|excluded|except)\b|n['\u2019]t\b",
    re.IGNORECASE,
)
# Two forms of one word share a long start ("requirement", "required" -> "requir").
_SHARED_START = 5
_SHARED_SHARE = 0.6
# Asked words absent from every source that make a yes or no impossible to tell.
_MISSING_WORDS = 2


def yes_no(
    question: QuestionTerms, pieces: list[Piece], said: Iterable[str], *, negated: bool = False
) -> list[Piece]:
    """``pieces`` (best first) as the answer to a yes/no question; empty when what it asks
    about is not in the sources (``said``: the sources' words). ``negated``: the question
    itself holds a negation ("Is there a plan with no deductible?"), so a sentence with its
    words ("The plan has a deductible.") does not say yes to it."""
    vocabulary = frozenset(said)
    missing = [term for term in question.asked if not _mentioned(term, vocabulary)]
    if not pieces or len(missing) >= _MISSING_WORDS or 2 * len(missing) >= len(question.asked):
        return []
    evidence, citation = pieces[0]
    states = all(_mentioned(term, content_terms(evidence)) for term in question.asked)
    if states and not negated and not is_negated(evidence):
        return [(f"Yes: {evidence}", citation), *pieces[1:]]
    return pieces


def _mentioned(term: str, words: frozenset[str]) -> bool:
    """Whether ``term`` or another form of it is among ``words``."""
    if term in words:
        return True
    return len(term) >= _SHARED_START and any(_same_word(term, word) for word in words)


def _same_word(term: str, word: str) -> bool:
    shared = 0
    for left, right in zip(term, word, strict=False):
        if left != right:
            break
        shared += 1
    return shared >= _SHARED_START and shared >= _SHARED_SHARE * min(len(term), len(word))


def is_negated(text: str) -> bool:
    """Whether ``text`` holds a negation ("not", "no", "without", "isn't")."""
    return bool(_NEGATION.search(text))
