import json
from pathlib import Path
from typing import Any

import pytest

from eval.dataset import QaItem
from eval.runner import run_evaluation
from eval.targets import InProcessTarget, TargetResult

ITEMS = [
    QaItem(
        question="What is balance billing?",
        truth="A surprise bill.[plan.pdf#page=7]",
        truth_citations=["plan.pdf#page=7"],
    ),
    QaItem(
        question="What do specialists cost?",
        truth="A copay applies.[plan.pdf#page=9][plan.pdf#page=10]",
        truth_citations=["plan.pdf#page=9", "plan.pdf#page=10"],
    ),
    QaItem(question="Hello?", truth="Hi.", truth_citations=[]),
]

# Canned chat responses per question, in the wire shape of the chat protocol.
ANSWERS: dict[str, tuple[str, list[str]]] = {
    "What is balance billing?": (
        "It is a surprise bill.[plan.pdf#page=7]",
        ["plan.pdf#page=7(figure1_1.png)", "plan.pdf#page=3"],
    ),
    "What do specialists cost?": (
        "A copay.[plan.pdf#page=9]",
        [f"plan.pdf#page={n}" for n in (1, 2, 3, 4, 5, 9)],
    ),
    "Hello?": ("Hi there, ask me about your plan.", ["plan.pdf#page=1"]),
}


def fake_chat(body: dict[str, Any]) -> dict[str, Any]:
    question = body["messages"][-1]["content"]
    if question == "Explode?":
        raise RuntimeError("index unavailable")
    text, sources = ANSWERS[question]
    return {"output_text": text, "context": {"data_points": {"citations": sources}}}


def _read_rows(out_dir: Path) -> list[dict[str, Any]]:
    lines = (out_dir / "eval_results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_run_writes_scored_rows_and_a_summary(tmp_path: Path):
    summary = run_evaluation(ITEMS, InProcessTarget(fake_chat), tmp_path / "run")

    rows = _read_rows(tmp_path / "run")
    assert [row["question"] for row in rows] == [item.question for item in ITEMS]
    assert [row["citations_matched"] for row in rows] == [1.0, 0.5, None]
    assert [row["any_citation"] for row in rows] == [True, True, False]
    assert [row["retrieval_hit"] for row in rows] == [True, False, None]  # page 9 ranks sixth
    assert [row["answer_length"] for row in rows] == [39, 25, 33]
    assert rows[1]["source_citations"] == ANSWERS["What do specialists cost?"][1]
    assert rows[0]["answer_citations"] == ["plan.pdf#page=7"]

    written = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    assert written == json.loads(summary.model_dump_json())
    assert (written["rows"], written["errors"]) == (3, 0)
    assert written["citations_matched"] == pytest.approx(0.75)
    assert written["any_citation"] == pytest.approx(2 / 3)
    assert written["retrieval_hit_rate_at_5"] == pytest.approx(0.5)
    assert written["answer_length"] == pytest.approx(97 / 3)
    assert set(written["latency"]) == {"mean", "p50", "p95"}
    assert written["latency"]["p95"] >= written["latency"]["p50"] >= 0


def test_a_failing_question_is_recorded_and_the_run_goes_on(tmp_path: Path):
    failing = QaItem(
        question="Explode?", truth="No.[plan.pdf#page=1]", truth_citations=["plan.pdf#page=1"]
    )
    items = [ITEMS[0], failing, ITEMS[1]]

    summary = run_evaluation(items, InProcessTarget(fake_chat), tmp_path)

    rows = _read_rows(tmp_path)
    assert len(rows) == 3
    assert rows[1]["error"] == "RuntimeError: index unavailable"
    assert rows[1]["citations_matched"] is None and rows[1]["answer_length"] is None
    assert rows[2]["error"] is None and rows[2]["citations_matched"] == 0.5
    assert (summary.rows, summary.errors, summary.counts.answered) == (3, 1, 2)
    assert summary.citations_matched == pytest.approx(0.75)


class RaisingTarget:
    """A target whose own code raises, as a buggy remote client might."""

    def ask(self, question: str, *, overrides: dict[str, Any]) -> TargetResult:
        if question == "Hello?":
            raise ConnectionError("connection reset")
        return InProcessTarget(fake_chat).ask(question, overrides=overrides)


def test_a_target_that_raises_gets_an_error_row(tmp_path: Path):
    summary = run_evaluation(ITEMS, RaisingTarget(), tmp_path)

    rows = _read_rows(tmp_path)
    assert rows[2]["error"] == "ConnectionError: connection reset"
    assert summary.errors == 1 and summary.rows == 3


def test_overrides_reach_the_target_and_progress_is_reported(tmp_path: Path):
    seen_overrides: list[dict[str, Any]] = []
    progress: list[tuple[int, int]] = []

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        seen_overrides.append(body["context"]["overrides"])
        return fake_chat(body)

    run_evaluation(
        ITEMS[:2],
        InProcessTarget(chat),
        tmp_path,
        overrides={"top": 3, "retrieval_mode": "hybrid"},
        progress=lambda done, total: progress.append((done, total)),
    )
    assert seen_overrides == [{"top": 3, "retrieval_mode": "hybrid"}] * 2
    assert progress == [(1, 2), (2, 2)]


def test_a_rerun_replaces_the_files_and_leaves_no_temporary_files(tmp_path: Path):
    run_evaluation(ITEMS, InProcessTarget(fake_chat), tmp_path)
    run_evaluation(ITEMS[:1], InProcessTarget(fake_chat), tmp_path)

    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "eval_results.jsonl",
        "summary.json",
    ]
    assert len(_read_rows(tmp_path)) == 1
