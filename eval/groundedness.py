"""A groundedness proxy: the share of answer sentences supported by the retrieved context.

A sentence is *supported* when at least ``threshold`` (default 0.6) of its content words (word
tokens of three letters or more that are not stop words) occur in one single retrieved context.
This is lexical overlap, not entailment: it rewards answers that restate their sources, which is
what a grounded RAG answer does, and flags sentences built from words no source contains. It
cannot see a negation flipped or numbers swapped between sources; the LLM judge's groundedness
is the finer measure when one is configured.

Example::

    groundedness_proxy("Dogs bark loudly. Cats fly.", ["dogs bark very loudly at night"])  # 0.5
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from eval.citations import strip_citations
from eval.text_metrics import tokens

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_STOP_WORDS_TEXT = (
    "the and for are but not you your with this that from have has was were will can may "
    "its their they them there then than what which who when where how all any each "
    "also been being into onto over under about such only other more most some our out"
)
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@lru_cache(maxsize=4096)
def content_words(text: str) -> frozenset[str]:
    """Tokens of three or more characters that are not stop words (cached: contexts repeat)."""
    return frozenset(word for word in tokens(text) if len(word) >= 3 and word not in _STOP_WORDS)


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (citations removed), split after ``.``, ``!`` or ``?``."""
    parts = _SENTENCE_END.split(strip_citations(text).strip())
    return [part.strip() for part in parts if part.strip()]


def groundedness_proxy(
    answer: str, contexts: Sequence[str], *, threshold: float = 0.6
) -> float | None:
    """Share of the answer's sentences supported by one context; ``None`` if nothing to judge."""
    judged = [words for words in map(content_words, sentences(answer)) if words]
    if not judged or not contexts:
        return None
    context_words = [content_words(context) for context in contexts]
    supported = sum(
        1
        for words in judged
        if max(len(words & available) for available in context_words) / len(words) >= threshold
    )
    return supported / len(judged)
