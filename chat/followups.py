"""Follow-up question suggestions: parsed from an LLM's ``<<question>>`` markup, or written
offline from the titles of the sources that were used.

Usage::

    split_followups("Tents cost $250. [p.csv#id=7] <<Is it waterproof?>>")
    # -> ("Tents cost $250. [p.csv#id=7]", ["Is it waterproof?"])
    offline_followups("How much is the tent?", hits)  # ["What else do the sources say about ..."]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import PurePosixPath

from chat.models.terms import content_terms
from ridgeline.types import ChunkKind, SearchHit

_MARKUP = re.compile(r"<<([^<>]+?)>>")
MAX_FOLLOWUPS = 3


def split_followups(text: str) -> tuple[str, list[str]]:
    """The answer without its ``<<...>>`` questions, and the questions in order."""
    questions = [q.strip() for q in _MARKUP.findall(text) if q.strip()]
    start = text.find("<<")
    answer = text[:start] if start >= 0 else text
    return answer.rstrip(), list(dict.fromkeys(questions))


def offline_followups(question: str, sources: Sequence[SearchHit]) -> list[str]:
    """Questions about the other things the sources name (catalog items, sections, files).

    Deterministic and grounded: each names a title taken from a source that was retrieved, and
    none repeats a subject the question is mostly about.
    """
    asked = content_terms(question)
    questions: list[str] = []
    for subject, kind in _subjects(sources):
        terms = content_terms(subject)
        if not terms or len(terms & asked) * 2 > len(terms):
            continue  # mostly what was just asked about
        if kind == ChunkKind.CATALOG:
            questions.append(f"What are the details of the {subject}?")
        else:
            questions.append(f"What does {subject} say?")
        if len(questions) == MAX_FOLLOWUPS:
            break
    return list(dict.fromkeys(questions))


def _subjects(sources: Sequence[SearchHit]) -> list[tuple[str, ChunkKind]]:
    subjects: dict[str, ChunkKind] = {}
    for hit in sources:
        chunk = hit.chunk
        title = (chunk.title or "").strip() or PurePosixPath(chunk.source).stem.replace("_", " ")
        if title and len(title) <= 80:
            subjects.setdefault(title, chunk.kind)
    return list(subjects.items())
