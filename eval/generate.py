"""Make question/truth pairs with citations from indexed chunks, for a dataset to start from.

Two generators, one output shape (a dataset row: ``question``, ``truth`` ending with the chunk's
citation, and ``generated_by`` saying how it was made):

- :func:`generate_from_templates` (offline, no model): picks informative sentences (8-40 words,
  a definite statement with a verb such as "is", "covers", "includes", numbers or names earn
  more) and turns each into a question with fixed templates ("What does X cover?"). The
  questions are mechanical and often clumsy; the truth is the sentence itself. Rows say
  ``"generated_by": "template"`` so nobody mistakes them for human-written questions.
- :func:`generate_with_llm`: asks the model behind an LLM client for one question and its answer
  per chunk (``"generated_by": "llm:<model>"``).

At most one question is made per chunk, taken round-robin over the sources so a big document
does not crowd out the others; the choice is seeded.

Example::

    rows = generate_from_templates(chunks, count=20, seed=0)
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from eval.groundedness import content_words, sentences
from ridgeline.providers.llm_types import LlmClient
from ridgeline.types import Chunk, ChunkKind

_VERBS = {
    "is": "is",
    "are": "are",
    "covers": "cover",
    "includes": "include",
    "provides": "provide",
    "offers": "offer",
    "requires": "require",
    "allows": "allow",
    "pays": "pay",
    "has": "have",
    "costs": "cost",
}
_STATEMENT = re.compile(
    r"^(?P<subject>[A-Z][^,;:()]{2,60}?)\s+(?P<verb>" + "|".join(_VERBS) + r")\s+(?P<rest>.+)$"
)
_NUMBER = re.compile(r"\d")
_MARKUP = re.compile(r"[{}<>=|\"\\]")  # JSON, HTML or tables: not a sentence to ask about
_ARTICLES = ("The", "A", "An", "This", "These", "Each", "All")


def _informative(sentence: str) -> float:
    """A score for how good a question this sentence makes; 0 if it should not be used."""
    words = sentence.split()
    if not 8 <= len(words) <= 40 or not sentence.endswith(".") or _MARKUP.search(sentence):
        return 0.0
    score = len(content_words(sentence)) / len(words)
    score += 0.5 if _NUMBER.search(sentence) else 0.0
    score += 1.0 if _STATEMENT.match(sentence) else 0.0
    return score


def template_question(sentence: str, *, source: str) -> str:
    """The question a template makes of ``sentence``."""
    match = _STATEMENT.match(sentence)
    if match is None:
        topic = " ".join(sentence.rstrip(".").split()[:6])
        return f"According to {source}, what is said about {topic[0].lower() + topic[1:]}?"
    subject = match["subject"]
    subject = subject[0].lower() + subject[1:] if subject.split()[0] in _ARTICLES else subject
    verb = match["verb"]
    if verb in ("is", "are"):
        return f"What {verb} {subject}?"
    return f"What does {subject} {_VERBS[verb]}?"


def _round_robin(chunks: Iterable[Chunk], *, seed: int) -> list[Chunk]:
    by_source: dict[str, list[Chunk]] = defaultdict(list)
    for chunk in chunks:
        if chunk.kind == ChunkKind.TEXT and chunk.content.strip():
            by_source[chunk.source].append(chunk)
    rng = random.Random(seed)
    queues = [rng.sample(group, len(group)) for _, group in sorted(by_source.items())]
    ordered: list[Chunk] = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop())
    return ordered


def generate_from_templates(
    chunks: Iterable[Chunk], *, count: int, seed: int = 0
) -> list[dict[str, Any]]:
    """Up to ``count`` template-made rows, one per chunk, from the best sentence of each."""
    rows = []
    for chunk in _round_robin(chunks, seed=seed):
        scored = [(_informative(s), s) for s in sentences(" ".join(chunk.content.split()))]
        score, best = max(scored, default=(0.0, ""))
        if score <= 0:
            continue
        rows.append(
            {
                "question": template_question(best, source=chunk.source),
                "truth": f"{best}[{chunk.citation}]",
                "generated_by": "template",
            }
        )
        if len(rows) == count:
            break
    return rows


_LLM_PROMPT = """Write one question that the following text answers, and its answer.
The question must make sense on its own, without seeing the text. The answer must use only the text.
Reply with JSON only: {{"question": "...", "answer": "..."}}

TEXT:
{text}"""


def generate_with_llm(
    chunks: Iterable[Chunk], *, count: int, llm: LlmClient, seed: int = 0
) -> list[dict[str, Any]]:
    """Up to ``count`` rows written by the model behind ``llm`` (its temperature and seed).

    A reply that is not the JSON asked for is skipped; a failing call raises ModelError.
    """
    rows = []
    for chunk in _round_robin(chunks, seed=seed):
        pair = _ask_pair(llm, chunk.content)
        if pair is None:
            continue
        rows.append(
            {
                "question": pair[0],
                "truth": f"{pair[1].rstrip()}[{chunk.citation}]",
                "generated_by": f"llm:{llm.model}",
            }
        )
        if len(rows) == count:
            break
    return rows


def _ask_pair(llm: LlmClient, text: str) -> tuple[str, str] | None:
    prompt = _LLM_PROMPT.format(text=text)
    reply = llm.complete([{"role": "user", "content": prompt}]).text
    match = re.search(r"\{.*\}", reply, re.DOTALL)
    try:
        data = json.loads(match.group(0)) if match else None
    except json.JSONDecodeError:
        return None
    if not isinstance(data, dict):
        return None
    question, answer = data.get("question"), data.get("answer")
    if isinstance(question, str) and isinstance(answer, str) and question and answer:
        return question.strip(), answer.strip()
    return None


def write_rows(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as JSONL text."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
