import json
import threading
from pathlib import Path
from typing import Any

import pytest

from eval.dataset import QaItem
from eval.runner import RunOptions, read_rows, run_evaluation
from eval.scoring import Scorer
from eval.targets import InProcessTarget, TargetResult
from ridgeline.errors import RidgelineError

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
    QaItem(question="Is there a Platinum plan?", truth="", expect_refusal=True),
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
    "Is there a Platinum plan?": ("I don't know.", ["plan.pdf#page=1"]),
}


def fake_chat(body: dict[str, Any]) -> dict[str, Any]:
    question = body["messages"][-1]["content"]
    if question == "Explode?":
        raise RuntimeError("index unavailable")
    text, sources = ANSWERS[question]
    data_points = {"citations": sources, "text": [f"{s}: a surprise bill" for s in sources]}
    return {"output_text": text, "context": {"data_points": data_points}}


def _rows(out_dir: Path) -> list[dict[str, Any]]:
    lines = (out_dir / "eval_results.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_a_run_writes_scored_rows_summary_parameters_and_reports(tmp_path: Path):
    summary = run_evaluation(ITEMS, InProcessTarget(fake_chat), tmp_path / "run")

    rows = _rows(tmp_path / "run")
    assert [row["question"] for row in rows] == [item.question for item in ITEMS]
    assert [row["metrics"].get("citations_matched") for row in rows] == [1.0, 0.5, None]
    assert [row["metrics"]["hit_at_5"] for row in rows] == [1.0, 0.0, None]  # page 9 ranks 6th
    assert rows[1]["metrics"]["mrr"] == pytest.approx(1 / 6)
    assert [row["metrics"]["refused"] for row in rows] == [0.0, 0.0, 1.0]
    assert rows[2]["metrics"]["refusal_correct"] == 1.0
    assert "token_f1" not in rows[2]["metrics"]  # a refusal question's truth is not an answer
    assert rows[0]["contexts"][0].startswith("plan.pdf#page=7(figure1_1.png):")

    written = json.loads((tmp_path / "run" / "summary.json").read_text(encoding="utf-8"))
    assert written == summary.model_dump(mode="json")
    assert (written["rows"], written["errors"]) == (3, 0)
    assert written["metrics"]["citations_matched"] == {"mean": 0.75, "count": 2, "pass_rate": None}
    assert written["metrics"]["refusal_correct"]["count"] == 1
    parameters = json.loads((tmp_path / "run" / "parameters.json").read_text(encoding="utf-8"))
    assert parameters["target"]["kind"] == "in-process"
    assert parameters["versions"]["python"] and parameters["finished_at"]
    assert (tmp_path / "run" / "report.html").is_file() and (
        tmp_path / "run" / "report.md"
    ).is_file()


def test_a_failing_question_is_recorded_and_the_run_goes_on(tmp_path: Path):
    failing = QaItem(
        question="Explode?", truth="No.[plan.pdf#page=1]", truth_citations=["plan.pdf#page=1"]
    )
    summary = run_evaluation([ITEMS[0], failing, ITEMS[1]], InProcessTarget(fake_chat), tmp_path)

    rows = _rows(tmp_path)
    assert rows[1]["error"] == "RuntimeError: index unavailable" and rows[1]["metrics"] == {}
    assert (summary.rows, summary.errors) == (3, 1)
    assert summary.metrics["citations_matched"].mean == pytest.approx(0.75)


class FlakyTarget:
    """Fails retryably a set number of times per question, then answers."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls: dict[str, int] = {}
        self.overrides: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def describe(self) -> dict[str, Any]:
        return {"kind": "flaky"}

    def ask(
        self, question: str, *, overrides: dict[str, Any], image: str | None = None
    ) -> TargetResult:
        with self._lock:
            self.calls[question] = self.calls.get(question, 0) + 1
            self.overrides.append(overrides)
            count = self.calls[question]
        if count <= self.failures:
            return TargetResult(latency_s=0.0, error="HTTP 503: busy", retryable=True)
        return InProcessTarget(fake_chat).ask(question, overrides=overrides)


def test_retryable_failures_are_retried_with_backoff(tmp_path: Path):
    target = FlakyTarget(failures=2)
    options = RunOptions(retries=2, backoff_s=0.001, concurrency=3, seed=5)
    summary = run_evaluation(ITEMS, target, tmp_path, options=options)

    assert summary.errors == 0
    assert set(target.calls.values()) == {3}
    assert [row["attempts"] for row in _rows(tmp_path)] == [3, 3, 3]
    assert all(o == {"seed": 5} for o in target.overrides)  # the run's seed goes with each question


def test_retries_give_up_after_the_limit(tmp_path: Path):
    target = FlakyTarget(failures=5)
    summary = run_evaluation(
        ITEMS[:1], target, tmp_path, options=RunOptions(retries=1, backoff_s=0)
    )
    assert summary.errors == 1 and target.calls["What is balance billing?"] == 2


def test_an_interrupted_run_resumes_without_asking_finished_questions(tmp_path: Path):
    run_evaluation(ITEMS[:2], InProcessTarget(fake_chat), tmp_path)
    with (tmp_path / "eval_results.jsonl").open("a", encoding="utf-8") as stream:
        stream.write('{"key": "half a line')  # the row being written when the run was killed
    asked: list[str] = []

    def counting_chat(body: dict[str, Any]) -> dict[str, Any]:
        asked.append(body["messages"][-1]["content"])
        return fake_chat(body)

    summary = run_evaluation(ITEMS, InProcessTarget(counting_chat), tmp_path)

    assert asked == ["Is there a Platinum plan?"]
    assert summary.rows == 3
    assert [row.question for row in read_rows(tmp_path)] == [item.question for item in ITEMS]


def test_resuming_into_a_run_with_other_overrides_is_refused(tmp_path: Path):
    run_evaluation(
        ITEMS[:2],
        InProcessTarget(fake_chat),
        tmp_path,
        options=RunOptions(overrides={"retrieval_mode": "text"}),
    )
    rows_before = (tmp_path / "eval_results.jsonl").read_text(encoding="utf-8")

    with pytest.raises(RidgelineError, match="overrides"):
        run_evaluation(
            ITEMS,
            InProcessTarget(fake_chat),
            tmp_path,
            options=RunOptions(overrides={"retrieval_mode": "hybrid"}),
        )
    assert (tmp_path / "eval_results.jsonl").read_text(encoding="utf-8") == rows_before


def test_answered_rows_without_parameters_are_not_resumed(tmp_path: Path):
    run_evaluation(ITEMS[:1], InProcessTarget(fake_chat), tmp_path)
    (tmp_path / "parameters.json").unlink()
    with pytest.raises(RidgelineError, match="no-resume"):
        run_evaluation(ITEMS, InProcessTarget(fake_chat), tmp_path)


def test_without_resume_everything_is_asked_again(tmp_path: Path):
    run_evaluation(ITEMS[:1], InProcessTarget(fake_chat), tmp_path)
    asked: list[str] = []

    def counting_chat(body: dict[str, Any]) -> dict[str, Any]:
        asked.append(body["messages"][-1]["content"])
        return fake_chat(body)

    run_evaluation(
        ITEMS[:1], InProcessTarget(counting_chat), tmp_path, options=RunOptions(resume=False)
    )
    assert asked == ["What is balance billing?"] and len(read_rows(tmp_path)) == 1


def test_progress_counts_every_question_and_overrides_reach_the_target(tmp_path: Path):
    seen: list[dict[str, Any]] = []
    progress: list[tuple[int, int]] = []

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        seen.append(body["context"]["overrides"])
        return fake_chat(body)

    options = RunOptions(overrides={"top": 3, "retrieval_mode": "text"}, concurrency=2)
    run_evaluation(
        ITEMS[:2],
        InProcessTarget(chat),
        tmp_path,
        options=options,
        progress=lambda d, t: progress.append((d, t)),
    )
    assert seen == [{"top": 3, "retrieval_mode": "text"}] * 2
    assert sorted(progress) == [(1, 2), (2, 2)]


def test_an_embedder_adds_semantic_similarity(tmp_path: Path, hashing_embedder):
    run_evaluation(
        ITEMS[:1], InProcessTarget(fake_chat), tmp_path, scorer=Scorer(embedder=hashing_embedder)
    )
    similarity = _rows(tmp_path)[0]["metrics"]["semantic_similarity"]
    assert 0.5 < similarity <= 1.0


def test_a_failing_scorer_is_recorded_on_the_row(tmp_path: Path):
    class BrokenEmbedder:
        name = "broken"

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise OSError("model file missing")

    run_evaluation(
        ITEMS[:1], InProcessTarget(fake_chat), tmp_path, scorer=Scorer(embedder=BrokenEmbedder())
    )  # type: ignore[arg-type]
    assert _rows(tmp_path)[0]["error"] == "scoring failed: OSError: model file missing"


def test_a_refusal_has_no_groundedness_to_judge(tmp_path: Path):
    run_evaluation(ITEMS, InProcessTarget(fake_chat), tmp_path)
    rows = _rows(tmp_path)
    assert rows[0]["metrics"]["groundedness_proxy"] == 1.0  # "surprise bill" is in its context
    assert "groundedness_proxy" not in rows[2]["metrics"]  # "I don't know."
