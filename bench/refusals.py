"""Refusal and citation figures of the chat service on a QA set and a don't-know set, per seeded
half, with the searches of a first run replayed.

Retrieval is the slow part and does not change while answers are tuned, so ``cache`` asks the
chat service each question once and records every search it made; ``score`` asks again through
the same service, answering the recorded searches from the file (a search not recorded, such as
a look-up of a name, goes to the index). Both sets are split with
:func:`bench.tuning_split.split_half` and :data:`SEED` into a half to tune on and an untouched
half (docs/benchmarks.md, "Calibrated refusals").

Usage::

    python -m bench.refusals cache --index IDX --dataset QA.jsonl --refusals DK.jsonl --out C.pkl
    python -m bench.refusals score C.pkl --index IDX [--half tune|untouched|all] [--show wrong]
        [--min-said-share 0 0.51 0.6]   # one row per value of the offline answerer's rule
    python -m bench.refusals run RUN_DIR  # an `ridgeline eval run` output, each half scored
    python -m bench.refusals run RUN_DIR --audit eval/sets/northwind-dontknows-audit.jsonl
        # and refusal accuracy on the questions the audit found unanswerable
        # (bench.refusal_audit; the don't-know file is the run's, or --dontknows)
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bench.refusal_audit import audited_score, load_audit
from bench.tuning_split import Question, split_half
from chat.models.extractive import ExtractiveAnswerer
from chat.protocol import ChatRequest
from chat.service import ChatService
from eval.citations import citation_key, extract_citations
from eval.dataset import QaItem, load_dataset
from eval.metrics import citations_matched
from eval.parameters import PARAMETERS_FILE
from eval.records import EvalRow
from eval.refusal import is_refusal
from eval.runner import RESULTS_FILE
from ridgeline.protocols import Retriever
from ridgeline.types import SearchHit

SEED = 13  # issue #13; fixed before tuning, never changed after


class _Replaying:
    """A retriever that answers searches it has seen from ``recorded``, others from ``inner``
    (and records those)."""

    def __init__(self, inner: Retriever, recorded: dict[str, list[SearchHit]]) -> None:
        self.inner = inner
        self.recorded = recorded

    def search(self, text: str, **kwargs: Any) -> list[SearchHit]:
        key = json.dumps([text, {k: repr(v) for k, v in sorted(kwargs.items())}])
        if key not in self.recorded:
            self.recorded[key] = self.inner.search(text, **kwargs)
        return self.recorded[key]


def _service(index: Path, recorded: dict[str, list[SearchHit]]) -> ChatService:
    from ridgeline.library import Ridgeline
    from ridgeline.settings import Settings

    service = Ridgeline(Settings(index_dir=index)).chat_service
    service.retriever = _Replaying(service.retriever, recorded)
    return service


def cache(index: Path, dataset: Path, refusals: Path, out: Path) -> None:
    items = load_dataset(dataset) + load_dataset(refusals, expect_refusal=True)
    recorded: dict[str, list[SearchHit]] = {}
    service = _service(index, recorded)
    for number, item in enumerate(items, start=1):
        _ask(service, item.question)
        print(f"{number}/{len(items)}", end="\r", flush=True)
    out.write_bytes(pickle.dumps({"items": items, "searches": recorded}))


def _ask(service: ChatService, question: str) -> str:
    body = {"messages": [{"role": "user", "content": question}]}
    return service.chat(ChatRequest.model_validate(body)).output_text


def halves(items: Sequence[QaItem], half: str) -> list[QaItem]:
    """The items of ``half`` ("tune", "untouched" or "all"), each set split on its own."""
    if half == "all":
        return list(items)
    chosen: list[QaItem] = []
    for refusal in (False, True):
        by_text = {item.question: item for item in items if item.expect_refusal is refusal}
        tune, untouched = split_half([Question(q, ()) for q in by_text], seed=SEED)
        chosen += [by_text[q.text] for q in (tune if half == "tune" else untouched)]
    return chosen


def answered(service: ChatService, items: Sequence[QaItem]) -> Iterator[tuple[QaItem, str]]:
    for item in items:
        yield item, _ask(service, item.question)


def score(answers: Sequence[tuple[QaItem, str]]) -> dict[str, float]:
    refused_dk, refused_qa, matched, precise = [], [], [], []
    for item, text in answers:
        refused = is_refusal(text)
        if item.expect_refusal:
            refused_dk.append(refused)
            continue
        refused_qa.append(refused)
        given = extract_citations(text)
        cited = citations_matched(item.truth_citations, given)
        if cited is not None:
            matched.append(cited)
        if given and item.truth_citations:
            # Citing more pages raises citations_matched by itself; its precision says
            # whether the pages cited were the truth's.
            precise.append(citation_precision(item.truth_citations, given))
    return {
        "refusal_accuracy": _mean(refused_dk),
        "dontknows": len(refused_dk),
        "answerable_refused": _mean(refused_qa),
        "answerable": len(refused_qa),
        "citations_matched": _mean(matched),
        "citation_precision": _mean(precise),
    }


def citation_precision(truth_citations: Sequence[str], given: Sequence[str]) -> float:
    """Share of an answer's citations that are among the truth's."""
    truth = {citation_key(ref) for ref in truth_citations}
    return sum(citation_key(ref) in truth for ref in given) / len(given)


def shown(answers: Sequence[tuple[QaItem, str]], show: str) -> Iterator[str]:
    for item, text in answers:
        refused = is_refusal(text)
        wanted = {
            "all": True,
            "wrong": refused is not item.expect_refusal,
            "refused": refused,
            "answered": not refused,
        }
        if wanted[show]:
            yield f"Q ({'dk' if item.expect_refusal else 'qa'}): {item.question}\nA: {text}\n"


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 3) if values else 0.0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("cache")
    build.add_argument("--index", type=Path, required=True)
    build.add_argument("--dataset", type=Path, required=True)
    build.add_argument("--refusals", type=Path, required=True)
    build.add_argument("--out", type=Path, required=True)
    run = commands.add_parser("score")
    run.add_argument("cache_file", type=Path)
    run.add_argument("--index", type=Path, required=True)
    run.add_argument("--half", choices=["tune", "untouched", "all"], default="tune")
    run.add_argument("--show", choices=["refused", "answered", "wrong", "all"], default=None)
    run.add_argument(
        "--min-said-share",
        type=float,
        nargs="+",
        default=None,
        help="score the offline answerer with each ExtractiveAnswerer.min_said_share",
    )
    finished = commands.add_parser("run")
    finished.add_argument("run_dir", type=Path)
    finished.add_argument("--audit", type=Path, default=None)
    finished.add_argument("--dontknows", type=Path, default=None)
    return parser.parse_args()


def run_answers(run_dir: Path) -> list[tuple[QaItem, str]]:
    """(question, answer) of each row of an evaluation run's results."""
    rows = [EvalRow.model_validate_json(line) for line in (run_dir / RESULTS_FILE).open()]
    return [
        (
            QaItem(
                question=row.question,
                truth=row.truth,
                truth_citations=row.truth_citations,
                expect_refusal=row.expect_refusal,
            ),
            row.answer,
        )
        for row in rows
    ]


def print_run(run_dir: Path, audit: Path | None, dontknows: Path | None) -> None:
    """The figures of each half of a finished run; with ``audit``, the audited ones beside."""
    answers = run_answers(run_dir)
    verdicts = None
    if audit is not None:
        dontknows = dontknows or _run_dontknows(run_dir)
        verdicts = load_audit(audit, dontknows)
    by_question = dict((item.question, (item, text)) for item, text in answers)
    for half in ("tune", "untouched", "all"):
        chosen = [by_question[item.question] for item in halves([i for i, _ in answers], half)]
        print(half, score(chosen))
        if verdicts is not None:
            print(half, "audited", audited_score(chosen, verdicts))


def _run_dontknows(run_dir: Path) -> Path:
    """The don't-know file the run was made with (its parameters record it)."""
    parameters = json.loads((run_dir / PARAMETERS_FILE).read_text(encoding="utf-8"))
    if not parameters.get("refusal_dataset"):
        raise SystemExit(f"{run_dir}: no refusal_dataset in {PARAMETERS_FILE}; pass --dontknows")
    return Path(parameters["refusal_dataset"])


def main() -> None:
    args = _arguments()
    if args.command == "cache":
        cache(args.index, args.dataset, args.refusals, args.out)
        return
    if args.command == "run":
        print_run(args.run_dir, args.audit, args.dontknows)
        return
    saved: Mapping[str, Any] = pickle.loads(args.cache_file.read_bytes())
    service = _service(args.index, dict(saved["searches"]))
    for share in args.min_said_share or [None]:
        if share is not None:
            if not isinstance(service.model, ExtractiveAnswerer):
                raise SystemExit("--min-said-share needs the offline extractive answerer")
            service.model.min_said_share = share
        answers = list(answered(service, halves(saved["items"], args.half)))
        for text in shown(answers, args.show) if args.show else ():
            print(text)
        label = [f"min_said_share={share}"] if share is not None else []
        print(args.half, *label, score(answers))


if __name__ == "__main__":
    main()
