"""Follow-up question suggestions: parsed from an LLM's ``<<question>>`` markup, or written
offline about the products and topics of the sources that were used.

Usage::

    split_followups("Tents cost $250. [p.csv#id=7] <<Is it waterproof?>>")
    # -> ("Tents cost $250. [p.csv#id=7]", ["Is it waterproof?"])
    offline_followups("How much is the Alpine Tent?", hits)
    # -> ["What is the warranty on the Alpine Tent?", "How does the Alpine Tent compare ..."]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chat.models.terms import content_terms
from ridgeline.types import ChunkKind, SearchHit

_MARKUP = re.compile(r"<<([^<>]+?)>>")
MAX_FOLLOWUPS = 3
# A subject worth asking about has at least two words with letters (not "p03" or a file stem)
# and no "key: value" look ("Information about product item_number: 1").
_WORDY = re.compile(r"[A-Za-z]{2,}.*\s+.*[A-Za-z]{2,}")
_MAX_SUBJECT_CHARS = 80


@dataclass(frozen=True)
class _Aspect:
    """Something one can ask about a product: when the question already asks it, when the
    sources can answer it, and how to ask it."""

    asked: re.Pattern[str]
    known: re.Pattern[str]
    question: str


_ASPECTS = (
    _Aspect(
        re.compile(r"\b(price|cost|much|cheap|expensive)", re.I),
        re.compile(r"\$\s?\d|price", re.I),
        "How much does the {name} cost?",
    ),
    _Aspect(
        re.compile(r"\bwarrant", re.I),
        re.compile(r"\bwarrant", re.I),
        "What is the warranty on the {name}?",
    ),
    _Aspect(
        re.compile(r"\b(weigh|heavy|light)", re.I),
        re.compile(r"\bweigh|\d\s?(kg|g|lb|oz)\b", re.I),
        "How much does the {name} weigh?",
    ),
)


@dataclass(frozen=True)
class _Product:
    name: str
    category: str | None
    text: str  # what the sources say about it


def split_followups(text: str) -> tuple[str, list[str]]:
    """The answer without its ``<<...>>`` questions, and the questions in order."""
    questions = [q.strip() for q in _MARKUP.findall(text) if q.strip()]
    start = text.find("<<")
    answer = text[:start] if start >= 0 else text
    return answer.rstrip(), list(dict.fromkeys(questions))


def offline_followups(
    question: str, sources: Sequence[SearchHit], *, asked: Sequence[str] = ()
) -> list[str]:
    """Questions about the products (and topics) the sources name, written from them.

    Deterministic and grounded: the product asked about gets questions on what the sources say
    of it that was not asked (price, warranty, weight); other retrieved products of its
    category are offered for comparison; then other products and section topics. A question
    already ``asked`` earlier in the conversation is never suggested again.
    """
    products = _products(sources)
    focus = _focus(question, products)
    questions: list[str] = []
    if focus is not None:
        questions += [
            aspect.question.format(name=focus.name)
            for aspect in _ASPECTS
            if not aspect.asked.search(question) and aspect.known.search(focus.text)
        ][:2]
    for other in products:
        if other is focus:
            continue
        if focus is not None and other.category and other.category == focus.category:
            questions.append(f"How does the {focus.name} compare with the {other.name}?")
        else:
            questions.append(f"What is the {other.name}?")
    questions += [f"What do the sources say about {topic}?" for topic in _topics(question, sources)]
    return not_asked(questions, [*asked, question])[:MAX_FOLLOWUPS]


def not_asked(questions: Sequence[str], asked: Sequence[str]) -> list[str]:
    """``questions`` without duplicates and without those the user already asked (compared
    without case, spacing or punctuation)."""
    seen = {_comparable(text) for text in asked}
    kept = []
    for text in questions:
        key = _comparable(text)
        if key and key not in seen:
            seen.add(key)
            kept.append(text)
    return kept


def _comparable(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _subject(title: str | None) -> str | None:
    title = (title or "").strip()
    if not title or len(title) > _MAX_SUBJECT_CHARS or ":" in title or not _WORDY.search(title):
        return None
    return title


def _products(sources: Sequence[SearchHit]) -> list[_Product]:
    """The catalog products among the sources, in rank order, each with every source text
    that names it (its row, its manual)."""
    names: dict[str, str | None] = {}
    for hit in sources:
        name = _subject(hit.chunk.title) if hit.chunk.kind == ChunkKind.CATALOG else None
        if name is not None:
            names.setdefault(name, hit.chunk.category)
    products = []
    for name, category in names.items():
        terms = content_terms(name)
        text = " ".join(
            hit.chunk.content
            for hit in sources
            if len(terms & content_terms(hit.chunk.content)) * 2 > len(terms)
        )
        products.append(_Product(name=name, category=category, text=text))
    return products


def _focus(question: str, products: list[_Product]) -> _Product | None:
    """The product the question is mostly about, if any."""
    asked = content_terms(question)
    best, best_share = None, 0.5
    for product in products:
        terms = content_terms(product.name)
        share = len(terms & asked) / len(terms) if terms else 0.0
        if share > best_share:
            best, best_share = product, share
    return best


def _topics(question: str, sources: Sequence[SearchHit]) -> list[str]:
    """Section titles of the non-catalog sources that the question is not already about."""
    asked = content_terms(question)
    topics = []
    for hit in sources:
        topic = _subject(hit.chunk.title) if hit.chunk.kind != ChunkKind.CATALOG else None
        terms = content_terms(topic or "")
        if topic and terms and len(terms & asked) * 2 <= len(terms):
            topics.append(topic)
    return topics
