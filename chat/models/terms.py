"""Content words of a text, normalised so that "Tents" and "tent" or "returned" and "return" meet.

Usage::

    content_terms("How much are the tents?")   # {"tent"}
    question_terms("How much are the tents?")  # {"tent"} and the expansion {"price", "cost"}
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

_STOP_WORDS_TEXT = """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself neither no nor not now of off on once only or other
    our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself yourselves
    much many tell please know give get got also may might must shall us
"""
_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

# The catalog fields a price question asks for.
_PRICE_FIELDS = ("price", "cost")

# Words a question uses for a catalog field that the record names differently ("how much" asks
# for the "Price:" field). Kept small on purpose: it only bridges question phrasing to field keys.
_QUESTION_SYNONYMS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    # "How much" asks for a price unless the question names what it measures ("how much does it
    # weigh", "how much water does it hold").
    (
        re.compile(
            r"\bhow much\b(?!.*\b(?:weigh|heavy|water|liquid|fuel|gas|space|room|storage|"
            r"capacity|volume|power|battery|light|time|data))|\bcosts?\b|\bcheap|"
            r"\bexpensive\b|\bpay\b"
        ),
        _PRICE_FIELDS,
    ),
    (re.compile(r"\bprices?\b|\bpriced\b"), _PRICE_FIELDS),
    (re.compile(r"\bwho makes\b|\bmanufactur|\bmade by\b|\bmaker\b"), ("brand",)),
    (re.compile(r"\bwhat kind\b|\bwhat type\b|\btype of\b"), ("category",)),
    (re.compile(r"\bhow heavy\b|\bweigh"), ("weight",)),
    (re.compile(r"\bcolou?rs?\b"), ("color", "colour")),
    (re.compile(r"\bmade of\b|\bmaterials?\b"), ("material",)),
)


# Words that say how a question wants its answer framed, not what it is about ("What are the
# key points to consider regarding X according to the text?" asks about X). A source never
# needs to contain them, so they neither count towards nor against a sentence's coverage.
_FRAMING_TEXT = """
    key main important points aspects considerations consider regarding according text document
    passage mentioned described details information overview specific various
"""


@dataclass(frozen=True)
class QuestionTerms:
    """The content words a question asks about, and the field names its phrasing implies."""

    asked: frozenset[str]
    implied: frozenset[str]

    @property
    def all(self) -> frozenset[str]:
        return self.asked | self.implied

    @property
    def asks_price(self) -> bool:
        """Whether the phrasing asks what something costs ("how much", "price", "pay")."""
        return bool(self.implied & PRICE_WORDS)


def normalise(word: str) -> str:
    """Lower-case and strip a plural or a common verb suffix ("policies" -> "policy")."""
    word = word.lower()
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement, min_stem in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            word = word[: -len(suffix)] + replacement
            break
    # A silent final "e" goes too, so that "purchase" meets "purchased" and "price" "priced".
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


# (suffix, replacement, shortest stem left); the first that applies wins.
_SUFFIXES = (
    ("ies", "y", 2),
    ("sses", "ss", 2),
    ("ches", "ch", 2),
    ("shes", "sh", 2),
    ("xes", "x", 2),
    ("ss", "ss", 0),
    ("us", "us", 0),
    ("is", "is", 0),
    ("s", "", 3),
    ("ing", "", 4),
    ("ed", "", 4),
)


def content_terms(text: str) -> frozenset[str]:
    """The normalised words of ``text`` that carry meaning (no stop words), and the plain word
    a rating code stands for ("IPX7" also says "waterproof")."""
    words = [word for word in _WORD.findall(_expanded(text.lower())) if word not in _STOP_WORDS]
    said = {normalise(word) for word in words}
    said.update(meaning for word in words for meaning in _CODE_MEANINGS.get(word, ()))
    return frozenset(said)


def _expanded(text: str) -> str:
    """``text`` without contractions and possessive endings: "doesn't" is "does not" and
    "Health's" is "Health", not the words "doesn", "t" and "s" that no answer holds."""
    text = _CANT.sub("can not", _WONT.sub("will not", text))
    return _CLITIC.sub("", _NOT.sub(" not", text))


_WONT = re.compile(r"\bwon['\u2019]t\b")
_CANT = re.compile(r"\bcan['\u2019]t\b")
_NOT = re.compile(r"n['\u2019]t\b")
_CLITIC = re.compile(r"['\u2019](?:s|re|ve|ll|d|m)?\b")

# Ingress-protection codes (IEC 60529): 7 and 8 survive immersion, 4 to 6 splashes and jets.
_CODE_MEANINGS = {
    **dict.fromkeys(("ipx7", "ipx8", "ip67", "ip68"), ("waterproof", "submersible")),
    **dict.fromkeys(("ipx4", "ipx5", "ipx6", "ip54", "ip65", "ip66"), ("water", "resistant")),
}


def question_terms(question: str) -> QuestionTerms:
    # Framing words are dropped from what is asked: a sentence need not say "key points", and
    # "how long" asks for a duration ("within 30 days"), not for the word "long".
    lowered = question.lower()
    asked = content_terms(_HOW_MUCH.sub("how", lowered)) - _FRAMING_TERMS
    implied = {
        normalise(term)
        for pattern, terms in _QUESTION_SYNONYMS
        if pattern.search(lowered)
        for term in terms
    }
    return QuestionTerms(asked=asked, implied=frozenset(implied - asked))


# The words of a price question: its fields, and the verb that asks for them.
PRICE_WORDS = frozenset(normalise(word) for word in (*_PRICE_FIELDS, "pay"))
_HOW_MUCH = re.compile(r"\bhow (?:long|much|many|often|far|big|old|soon|late|early)\b")
_FRAMING_TERMS = frozenset(normalise(word) for word in _FRAMING_TEXT.split())
