"""History-aware query rewriting: turn the last user turn into a standalone search query.

A follow-up such as "How much is it?" says nothing searchable on its own; the subject lives in an
earlier turn. Offline, :func:`rewrite_with_rules` finds the subject of the latest earlier user turn
that has one (a product-like name, else its content words) and puts it where the pronoun was, or
after the question when there is no pronoun. With an LLM configured,
:class:`LlmQueryRewriter` asks it for the standalone query, grounded in the conversation only,
and the planner falls back to the rules when the model fails or answers something unusable.

    >>> rewrite_with_rules([
    ...     ChatMessage(role="user", content="Tell me about the Ptarmigan 2 tent"),
    ...     ChatMessage(role="assistant", content="It is a two-person tent..."),
    ...     ChatMessage(role="user", content="How much is it?"),
    ... ])
    'How much is the Ptarmigan 2 tent?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.query.stopwords import STOP_WORDS, content_words
from ridgeline.errors import RidgelineError
from ridgeline.providers.llm_types import LlmClient, TokenUsage
from ridgeline.types import ChatMessage

_PRONOUNS = {"it", "its", "they", "them", "their"}
# Also determiners or relatives ("a tent that sleeps four"): pronouns only before a stop word or
# at the end ("how much is that?").
_DEMONSTRATIVES = {"this", "that", "these", "those", "one"}
_TOKEN = re.compile(r"[A-Za-z0-9][\w'-]*")
# Words that start a sentence with a capital without naming anything.
_NOT_NAMES = STOP_WORDS | {
    "is",
    "are",
    "does",
    "do",
    "can",
    "show",
    "give",
    "find",
    "list",
    "compare",
}
_MAX_SUBJECT_WORDS = 6
# Verbs of asking and shopping that frame a question without being its subject.
_REQUEST_VERBS = {
    "sell",
    "have",
    "buy",
    "need",
    "want",
    "looking",
    "recommend",
    "offer",
    "carry",
    "know",
    "get",
    "find",
    "show",
    "explain",
    "describe",
    "like",
}


def last_user_message(messages: Sequence[ChatMessage]) -> str:
    """The content of the last user turn; a ValueError names the problem when there is none."""
    for message in reversed(messages):
        if message.role == "user":
            return message.content
    raise ValueError("messages: the conversation has no user message to search for")


def subject_of(text: str) -> str | None:
    """The thing a turn is about: its first name-like phrase, else its content words."""
    name = _name_phrase(text)
    if name:
        return name
    words = [w for w in content_words(text) if w not in _REQUEST_VERBS]
    return " ".join(words[:_MAX_SUBJECT_WORDS]) or None


def _name_phrase(text: str) -> str | None:
    """The first run of capitalised or digit-bearing words, plus the common noun right after.

    "Tell me about the Ptarmigan 2 tent" -> "Ptarmigan 2 tent".
    """
    tokens = _TOKEN.findall(text)
    for start, token in enumerate(tokens):
        if _is_name_token(token) and token.lower() not in _NOT_NAMES:
            end = start + 1
            while end < len(tokens) and (_is_name_token(tokens[end]) or tokens[end].isdigit()):
                end += 1
            if end < len(tokens) and tokens[end].lower() not in STOP_WORDS:
                end += 1  # the head noun: "tent", "plan"
            return " ".join(tokens[start : min(end, start + _MAX_SUBJECT_WORDS)])
    return None


def _is_name_token(token: str) -> bool:
    """Capitalised ("Ptarmigan") or a model code mixing letters and digits ("x4"); a bare
    number ("200") starts no name but may continue one ("Ptarmigan 2")."""
    has_digit = any(ch.isdigit() for ch in token)
    return token[0].isupper() or (has_digit and any(ch.isalpha() for ch in token))


def is_follow_up(text: str) -> bool:
    """Whether a turn leans on earlier ones: it names nothing itself and uses a pronoun or is
    too short to stand alone ("and the price?")."""
    if _name_phrase(text) is not None:
        return False
    words = [w.lower() for w in _TOKEN.findall(text)]
    return _anaphor_index(words) is not None or len(content_words(text)) <= 2


def _anaphor_index(words: Sequence[str]) -> int | None:
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else None
        if word in _PRONOUNS:
            return i
        if word in _DEMONSTRATIVES and (following is None or following in STOP_WORDS):
            return i
    return None


def rewrite_with_rules(messages: Sequence[ChatMessage]) -> str:
    """The last user turn, made standalone by carrying the subject of earlier user turns."""
    question = last_user_message(messages)
    if not is_follow_up(question):
        return question
    earlier = [m.content for m in messages if m.role == "user"][:-1]
    subject = next((s for s in map(subject_of, reversed(earlier)) if s), None)
    if subject is None:
        return question
    return _insert_subject(question, subject)


def _insert_subject(question: str, subject: str) -> str:
    matches = list(_TOKEN.finditer(question))
    found = _anaphor_index([m.group(0).lower() for m in matches])
    if found is None:
        return f"{question.rstrip()} {subject}".strip()
    match = matches[found]
    word = match.group(0).lower()
    replacement = f"the {subject}'s" if word in ("its", "their") else f"the {subject}"
    if match.start() == 0:
        replacement = replacement[0].upper() + replacement[1:]
    return question[: match.start()] + replacement + question[match.end() :]


_INSTRUCTIONS = (
    "You turn the user's last message into one standalone search query for a document index. "
    "Use only the conversation below to resolve pronouns and references; do not add facts, "
    "do not answer the question. Reply with the query alone on one line."
)
_MAX_QUERY_CHARS = 300
_MAX_QUERY_TOKENS = 100  # a query, not an essay: a rambling reply is cut short and refused


@dataclass(frozen=True)
class LlmRewrite:
    """What one rewrite call gave: the query (None: unusable) and its token usage, if counted."""

    query: str | None
    usage: TokenUsage | None = None


class LlmQueryRewriter:
    """Rewrites with the model behind an LLM client (:class:`ridgeline.providers.llm_types.
    LlmClient`), rules as backup.

    >>> rewriter = LlmQueryRewriter(llm=llm.for_role("query rewrite"))
    >>> rewriter.rewrite(messages)                     # doctest: +SKIP
    'price of the Ptarmigan 2 tent'
    """

    def __init__(self, *, llm: LlmClient, history_turns: int = 6) -> None:
        if history_turns < 1:
            raise ValueError(f"history_turns must be at least 1, got {history_turns}")
        self._llm = llm
        self._history_turns = history_turns

    def rewrite(self, messages: Sequence[ChatMessage]) -> str | None:
        """The model's standalone query, or None when it failed or answered nothing usable
        (the caller then falls back to :func:`rewrite_with_rules`)."""
        return self.attempt(messages).query

    def attempt(self, messages: Sequence[ChatMessage]) -> LlmRewrite:
        """The query (or None, as :meth:`rewrite`) and the tokens the call cost, used or not."""
        last_user_message(messages)  # a conversation without a user turn is a caller error
        try:
            reply = self._llm.complete(self._prompt(messages), max_tokens=_MAX_QUERY_TOKENS)
        except RidgelineError:
            return LlmRewrite(query=None)
        return LlmRewrite(query=_clean_reply(reply.text) or None, usage=reply.usage)

    def _prompt(self, messages: Sequence[ChatMessage]) -> list[dict[str, str]]:
        turns = [m for m in messages if m.role in ("user", "assistant")][-self._history_turns :]
        transcript = "\n".join(f"{m.role}: {m.content.strip()}" for m in turns)
        return [
            {"role": "system", "content": _INSTRUCTIONS},
            {"role": "user", "content": f"Conversation:\n{transcript}\n\nSearch query:"},
        ]


def _clean_reply(reply: str) -> str:
    """The model's first non-empty line without quotes or a 'Query:' label; '' if unusable."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        return ""
    query = re.sub(r"^(search )?query:\s*", "", lines[0], flags=re.IGNORECASE).strip("\"'` ")
    return query if 0 < len(query) <= _MAX_QUERY_CHARS else ""
