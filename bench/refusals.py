"""Refusal and citation figures of the offline answerer on a QA set and a don't-know set, per
seeded half, from sources retrieved once.

Retrieval is the slow part and does not change while the answerer is tuned, so ``cache`` asks
the chat service each question once and stores the sources the chat model was given; ``score``
answers from those sources with the current answerer in seconds. Both sets are split with
:func:`bench.tuning_split.split_half` and :data:`SEED` into a half to tune on and an untouched
half (docs/benchmarks.md, "Calibrated refusals").

Usage::

    python -m bench.refusals cache --index IDX --dataset QA.jsonl --refusals DK.jsonl --out C.pkl
    python -m bench.refusals score C.pkl [--half tune|untouched|all] [--show refused|answered]
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.tuning_split import Question, split_half
from chat.models.extractive import ExtractiveAnswerer
from eval.citations import extract_citations
from eval.dataset import QaItem, load_dataset
from eval.metrics import citations_matched
from eval.refusal import is_refusal
from ridgeline.types import Answer, ChatMessage, SearchHit

SEED = 13  # issue #13; fixed before tuning, never changed after


@dataclass(frozen=True)
class Case:
    """One question with the sources the chat model was given for it."""

    item: QaItem
    sources: tuple[SearchHit, ...]


class _Recorder:
    """A chat model that keeps the sources it is given and answers like the extractive one."""

    name = "extractive"

    def __init__(self) -> None:
        self.sources: list[SearchHit] = []
        self._inner = ExtractiveAnswerer()

    def answer(self, messages: Sequence[ChatMessage], sources: Sequence[SearchHit]) -> Answer:
        self.sources = list(sources)
        return self._inner.answer(messages, sources)


def cache(index: Path, dataset: Path, refusals: Path, out: Path) -> None:
    from chat.protocol import ChatRequest
    from ridgeline.library import Ridgeline
    from ridgeline.settings import Settings

    service = Ridgeline(Settings(index_dir=index)).chat_service
    recorder = _Recorder()
    service.model = recorder
    items = load_dataset(dataset) + load_dataset(refusals, expect_refusal=True)
    cases = []
    for number, item in enumerate(items, start=1):
        recorder.sources = []
        service.chat(ChatRequest.model_validate({"messages": [_user(item.question)]}))
        cases.append(Case(item, tuple(recorder.sources)))
        print(f"{number}/{len(items)}", end="\r", flush=True)
    # Plain tuples: the file loads whichever module (or __main__) defined Case.
    out.write_bytes(pickle.dumps([(case.item, case.sources) for case in cases]))


def load(path: Path) -> list[Case]:
    return [Case(item, sources) for item, sources in pickle.loads(path.read_bytes())]


def _user(question: str) -> dict[str, str]:
    return {"role": "user", "content": question}


def halves(cases: Sequence[Case], half: str) -> list[Case]:
    """The cases of ``half`` ("tune", "untouched" or "all"), each set split on its own."""
    if half == "all":
        return list(cases)
    chosen: list[Case] = []
    for refusal in (False, True):
        group = [case for case in cases if case.item.expect_refusal is refusal]
        by_text = {case.item.question: case for case in group}
        tune, untouched = split_half([Question(q, ()) for q in by_text], seed=SEED)
        chosen += [by_text[q.text] for q in (tune if half == "tune" else untouched)]
    return chosen


def answered(cases: Sequence[Case]) -> Iterator[tuple[Case, str]]:
    answerer = ExtractiveAnswerer()
    for case in cases:
        messages = [ChatMessage(role="user", content=case.item.question)]
        text = answerer.answer(messages, case.sources).text if case.sources else ""
        yield case, text


def score(cases: Sequence[Case], show: str | None) -> dict[str, float]:
    refused_dk, refused_qa, matched = [], [], []
    for case, text in answered(cases):
        refused = is_refusal(text)
        if case.item.expect_refusal:
            refused_dk.append(refused)
        else:
            refused_qa.append(refused)
            cited = citations_matched(case.item.truth_citations, extract_citations(text))
            if cited is not None:
                matched.append(cited)
        if show and _shown(show, case, refused):
            print(f"Q ({'dk' if case.item.expect_refusal else 'qa'}): {case.item.question}")
            print(f"A: {text}\n")
    return {
        "refusal_accuracy": _mean(refused_dk),
        "dontknows": len(refused_dk),
        "answerable_refused": _mean(refused_qa),
        "answerable": len(refused_qa),
        "citations_matched": _mean(matched),
    }


def _shown(show: str, case: Case, refused: bool) -> bool:
    if show == "all":
        return True
    if show == "wrong":
        return refused is not case.item.expect_refusal
    return (show == "refused") is refused


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("cache")
    build.add_argument("--index", type=Path, required=True)
    build.add_argument("--dataset", type=Path, required=True)
    build.add_argument("--refusals", type=Path, required=True)
    build.add_argument("--out", type=Path, required=True)
    run = commands.add_parser("score")
    run.add_argument("cache_file", type=Path)
    run.add_argument("--half", choices=["tune", "untouched", "all"], default="tune")
    run.add_argument("--show", choices=["refused", "answered", "wrong", "all"], default=None)
    args = parser.parse_args()
    if args.command == "cache":
        cache(args.index, args.dataset, args.refusals, args.out)
        return
    cases = load(args.cache_file)
    print(score(halves(cases, args.half), args.show))


if __name__ == "__main__":
    main()
