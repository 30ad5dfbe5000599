"""Split a question that asks for several things into parts that can each be searched.

"What is balance billing and how does the Standard plan protect against it?" needs evidence for
two things, often on two pages; one search for the whole question tends to find the page that
matches most of its words and miss the other. Offline, :func:`decompose_with_rules` cuts at
question marks and semicolons, and at "and" / "also" / "as well as" / commas when a new question
starts there (a question word or an auxiliary verb follows), so "in-network and out-of-network
providers" stays one part. The retrieval's :class:`RuleDecomposer` also searches the two sides
of "compare A and B" / "A vs B" apart. A part that names too little of its own ("how much is
it?", "what are the exceptions?") gets the content words of the question's first part, so that
it still says what it is about. With an LLM configured, :class:`LlmDecomposer` asks the model
for the parts and falls back to the rules when it fails or answers something unusable.

    >>> decompose_with_rules("What is balance billing and how does the plan protect against it?")
    ['What is balance billing', 'how does the plan protect against it balance billing']
    >>> decompose_with_rules("What does the plan cover and what are the exceptions?")
    ['What does the plan cover', 'what are the exceptions plan cover']
    >>> decompose_with_rules("What are the differences between in-network and out-of-network?")
    ['What are the differences between in-network and out-of-network?']
    >>> compared_sides("Compare the CozyNights and MountainDream sleeping bags.")
    ['CozyNights', 'MountainDream sleeping bags']
"""

from __future__ import annotations

import re
from typing import Protocol

from retrieval.query.stopwords import content_words
from ridgeline.errors import RidgelineError
from ridgeline.providers.llm_types import LlmClient

# Words that open a new question after "and" or a comma.
_OPENERS = (
    "what|which|who|whom|whose|when|where|why|how|is|are|was|were|does|do|did|can|could|"
    "should|will|would|may|must|has|have|list|describe|explain|tell|give"
)
_JOINERS = r"(?:,\s*(?:and\s+|but\s+)?|\s+(?:and|but|also|as well as|plus)\s+(?:also\s+)?)"
_CUT_BEFORE_OPENER = re.compile(rf"{_JOINERS}(?=(?:{_OPENERS})\b)", re.IGNORECASE)
_HARD_CUT = re.compile(r"(?<=\?)\s+|;\s*|\.\s+(?=[A-Z])")
# "Compare A and B", "compare A with B": each side is a thing to find (two products, two plans).
_COMPARE = re.compile(
    r"^\s*(?:please\s+)?(?:compare|contrast)\s+(?P<a>.+?)\s+(?:and|with|to|against|vs\.?|versus)"
    r"\s+(?P<b>.+?)[\s?.!]*$",
    re.IGNORECASE,
)
# "What is the difference between A and B?": the sides of a comparison too.
_DIFFERENCE = re.compile(
    r"^\s*(?:what(?:'s| is| are)|how (?:do|does))\s+(?:the\s+)?(?:main\s+|key\s+)?differences?"
    r"\s+between\s+(?:the\s+)?(?P<a>.+?)\s+and\s+(?:the\s+)?(?P<b>.+?)[\s?.!]*$",
    re.IGNORECASE,
)
# "A vs B", "A versus B" with nothing before A but a question word and a verb or article.
_VERSUS = re.compile(
    r"^\s*(?:(?:which|what)(?:'s| is| are)?\s+(?:better|cheaper|lighter|warmer|the difference)"
    r"[\s,:]+)?(?:the\s+)?(?P<a>.+?)\s+(?:vs\.?|versus)\s+(?P<b>.+?)[\s?.!]*$",
    re.IGNORECASE,
)
_PRONOUNS = {"it", "its", "they", "them", "their", "this", "that", "these", "those"}
_MAX_PARTS = 4
_MIN_PART_WORDS = 2
_MAX_REPLY_CHARS = 1200


class Decomposer(Protocol):
    """Turns one question into the parts to search for (the question itself when it has one)."""

    def decompose(self, question: str) -> list[str]: ...


def decompose_with_rules(question: str) -> list[str]:
    """The parts of ``question``; ``[question]`` when it asks for one thing."""
    text = question.strip()
    if not text:
        return []
    pieces = [p for chunk in _HARD_CUT.split(text) for p in _CUT_BEFORE_OPENER.split(chunk)]
    parts = [p.strip(" ,;") for p in pieces if len(content_words(p)) >= _MIN_PART_WORDS - 1]
    parts = [p for p in parts if len(p.split()) >= _MIN_PART_WORDS]
    if len(parts) < 2:
        return [text]
    parts = parts[:_MAX_PARTS]
    return [parts[0], *(_with_subject(p, parts[0]) for p in parts[1:])]


def compared_sides(text: str) -> list[str]:
    """The two sides of a comparison ("Compare the X and the Y tents" -> X, Y tents); [] when
    ``text`` is not one. A side may be one word: a product's name often is, but not one of
    only stop words ("compare it with that"). Searched apart (each side's evidence among the
    sources), but answered as one question: a comparison."""
    text = text.strip()
    found = _COMPARE.match(text) or _DIFFERENCE.match(text) or _VERSUS.match(text)
    if found is None:
        return []
    sides = [re.sub(r"^(?:the|a|an)\s+", "", found[name].strip(" ,"), flags=re.I) for name in "ab"]
    return sides if all(content_words(side) for side in sides) else []


def _with_subject(part: str, first: str) -> str:
    """``part`` plus the first part's content words when it names too little on its own
    (a pronoun, or a single content word as in "what are the exceptions?")."""
    words = {w.lower() for w in re.findall(r"[A-Za-z']+", part)}
    own = set(content_words(part))
    if not words & _PRONOUNS and len(own) >= _MIN_PART_WORDS:
        return part
    borrowed = [w for w in content_words(first) if w not in own]
    return f"{part.rstrip('?. ')} {' '.join(borrowed)}" if borrowed else part


class RuleDecomposer:
    """:func:`decompose_with_rules`, or for a question of one part the sides of a comparison
    (:func:`compared_sides`), behind the :class:`Decomposer` protocol."""

    def decompose(self, question: str) -> list[str]:
        parts = decompose_with_rules(question)
        # A comparison is one of the parts' shapes, never the whole of several questions.
        return parts if len(parts) > 1 else compared_sides(question) or parts


_INSTRUCTIONS = (
    "You split a search question into the separate things it asks for. Answer with one "
    "standalone search query per line, at most four lines, nothing else. Each line must say "
    "what it is about (repeat the subject instead of using a pronoun). If the question asks for "
    "one thing, answer with the question itself on one line."
)


class LlmDecomposer:
    """Parts from the model behind an LLM client, :func:`decompose_with_rules` as backup.

    >>> LlmDecomposer(llm=client.for_role("query decomposition")).decompose(question)
    ... # doctest: +SKIP
    """

    def __init__(self, *, llm: LlmClient, max_tokens: int = 200) -> None:
        if max_tokens < 16:
            raise ValueError(f"max_tokens must be at least 16, got {max_tokens}")
        self._llm = llm
        self._max_tokens = max_tokens

    def decompose(self, question: str) -> list[str]:
        text = question.strip()
        if not text:
            return []
        messages = [
            {"role": "system", "content": _INSTRUCTIONS},
            {"role": "user", "content": f"Question: {text}"},
        ]
        try:
            reply = self._llm.complete(messages, max_tokens=self._max_tokens, temperature=0)
        except RidgelineError:
            return decompose_with_rules(text)
        return parts_from_reply(reply.text) or decompose_with_rules(text)


def parts_from_reply(reply: str) -> list[str]:
    """The model's lines without bullets, numbers or labels; [] when nothing usable came back."""
    if len(reply) > _MAX_REPLY_CHARS:
        return []
    parts = []
    for line in reply.splitlines():
        cleaned = re.sub(r"^\s*(?:[-*•]|\d+[.)]|query\s*\d*:)\s*", "", line, flags=re.I)
        cleaned = cleaned.strip("\"'` ")
        if len(cleaned.split()) >= _MIN_PART_WORDS:
            parts.append(cleaned)
    return parts[:_MAX_PARTS]
