"""English function words that carry no topic, for query-side full-text matching.

BM25 already down-weights frequent words, but in short questions ("what is the ... of my ...")
they still pull in chunks that share only grammar with the question. The list is short on
purpose: negations and numbers stay, because they change what a question asks.

    >>> content_words("What is the deductible for the Northwind Standard plan?")
    ['deductible', 'northwind', 'standard', 'plan']
"""

from __future__ import annotations

import re

_STOP_WORD_TEXT = """
    a about above after again all am an and any are as at be been before being below between
    both but by can could did do does doing down during each few for from further had has have
    having he her here hers herself him himself his how i if in into is it its itself just me
    more most my myself of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this
    those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves tell please s t
"""
STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())

_WORD = re.compile(r"\w+")


def content_words(text: str) -> list[str]:
    """The lower-cased words of ``text`` that are not stop words, in order."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def without_stop_words(text: str) -> str:
    """``text``'s content words joined by spaces; ``text`` itself when all are stop words."""
    words = content_words(text)
    return " ".join(words) if words else text
