from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.refusal_audit import AuditError, Verdict, audited_score, load_audit, question_sha1
from eval.dataset import QaItem

QUESTIONS = [
    "What does the Platinum plan cost?",
    "How does the plan coordinate benefits?",
    "Who painted the Mona Lisa?",
    "Are domestic partners covered?",
]
VERDICTS: list[Verdict] = ["unanswerable", "answerable", "unanswerable", "partly"]
REFUSAL = "I don't know: the indexed sources do not contain an answer to this question."


def _write_set(tmp_path: Path, questions: list[str]) -> Path:
    path = tmp_path / "dontknows.jsonl"
    path.write_text(
        "".join(json.dumps({"question": q, "truth": "made up"}) + "\n" for q in questions)
    )
    return path


def _write_audit(tmp_path: Path, questions: list[str]) -> Path:
    rows = [
        {"line": n, "sha1": question_sha1(q), "verdict": v, "evidence": None, "reason": "why"}
        for n, (q, v) in enumerate(zip(questions, VERDICTS, strict=True), start=1)
    ]
    path = tmp_path / "audit.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows))
    return path


def test_the_audit_gives_each_question_its_verdict(tmp_path: Path) -> None:
    verdicts = load_audit(_write_audit(tmp_path, QUESTIONS), _write_set(tmp_path, QUESTIONS))
    assert verdicts == dict(zip(QUESTIONS, VERDICTS, strict=True))


def test_an_audit_of_a_question_that_changed_is_refused(tmp_path: Path) -> None:
    audit = _write_audit(tmp_path, QUESTIONS)
    reworded = [*QUESTIONS[:2], "Who painted the Night Watch?", QUESTIONS[3]]
    with pytest.raises(AuditError, match="line 3"):
        load_audit(audit, _write_set(tmp_path, reworded))


def test_an_audit_of_another_number_of_questions_is_refused(tmp_path: Path) -> None:
    audit = _write_audit(tmp_path, QUESTIONS)
    with pytest.raises(AuditError, match="not the question lines"):
        load_audit(audit, _write_set(tmp_path, [*QUESTIONS, "One more?"]))


def test_the_audited_figure_counts_only_the_unanswerable_dontknows() -> None:
    verdicts = dict(zip(QUESTIONS, VERDICTS, strict=True))
    answers = [
        (QaItem(question=QUESTIONS[0], expect_refusal=True), REFUSAL),
        (
            QaItem(question=QUESTIONS[1], expect_refusal=True),
            "Benefits are coordinated.[a.pdf#page=7]",
        ),
        (QaItem(question=QUESTIONS[2], expect_refusal=True), "Leonardo.[b.pdf#page=1]"),
        (QaItem(question=QUESTIONS[3], expect_refusal=True), REFUSAL),
        (QaItem(question="What is the deductible?", truth="$500"), REFUSAL),  # not a don't-know
    ]
    figures = audited_score(answers, verdicts)
    # raw: 2 of 4 refused; audited: 1 of the 2 unanswerable ones, the answered COB one not counted
    assert figures["refusal_accuracy_unanswerable"] == 0.5
    assert figures["unanswerable"] == 2
    assert (figures["refused_answerable"], figures["answerable_dontknows"]) == (0.0, 1)
    assert (figures["refused_partly"], figures["partly"]) == (1.0, 1)


def test_a_dontknow_the_audit_does_not_know_is_an_error() -> None:
    answers = [(QaItem(question="Something new?", expect_refusal=True), REFUSAL)]
    with pytest.raises(AuditError, match="no audit verdict"):
        audited_score(answers, dict(zip(QUESTIONS, VERDICTS, strict=True)))
