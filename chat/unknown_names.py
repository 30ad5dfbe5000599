"""Names in a question that no indexed document mentions: the sources cannot answer about them.

"What are the benefits of the Northwind Platinum plan?" over an index that only knows the
Standard and Plus plans retrieves Northwind pages all the same, and the best sentence about the
other plans reads like an answer. A name (a capitalised word inside a sentence, or an acronym)
that none of the retrieved sources contains is looked up in the whole index by its words; when
no document holds it either, the honest answer is that the sources do not cover it.

Usage::

    unknown_names("What does the Platinum plan cover?", hits, is_indexed)  # ["Platinum"]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from chat.models.terms import content_terms, normalise
from ridgeline.types import SearchHit

# A word, and what stands before it: a sentence start is not a name ("What", "Are").
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?:;\"'(\[]\s*$")


def asked_names(question: str) -> list[str]:
    """Capitalised words that do not start a sentence, and all-capital words (acronyms).

    A question in title case ("What Is The Deductible?") or in capitals marks no names.
    """
    if not any(letter.islower() for letter in question):
        return []
    names = []
    for word in _WORD.finditer(question):
        text = word.group(0)
        before = question[: word.start()]
        starts_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        if not text[0].isupper() or text == "I" or (starts_sentence and not _is_acronym(text)):
            continue
        if not content_terms(text):  # "Is", "The" inside a sentence: the question is title case
            return []
        names.append(text)
    return list(dict.fromkeys(names))


def unknown_names(
    question: str, sources: Sequence[SearchHit], is_indexed: Callable[[str], bool]
) -> list[str]:
    """The names of ``question`` that no source contains and ``is_indexed`` (a search of the
    whole index by the name's words) does not find either."""
    names = asked_names(question)
    if not names:
        return []
    said: set[str] = set()
    for hit in sources:
        said |= content_terms(f"{hit.chunk.title or ''} {hit.chunk.content}")
    missing = [name for name in names if normalise(name) not in said]
    return [name for name in missing if not is_indexed(name)]


def _is_acronym(word: str) -> bool:
    return len(word) > 1 and word.isupper() and word.isalpha()
