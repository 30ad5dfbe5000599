import json
from pathlib import Path

import pytest

from eval.dataset import DatasetError, load_dataset


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(question: str, truth: str) -> str:
    return json.dumps({"question": question, "truth": truth})


def test_rows_load_with_their_truth_citations(tmp_path: Path):
    path = _write(
        tmp_path / "qa.jsonl",
        [
            _row("What is balance billing?", "A surprise bill.[plan.pdf#page=7]"),
            "",
            _row("Which hoodie is blue?", "The Alpine hoodie.[products.csv#id=4][notes.md]"),
        ],
    )
    items = load_dataset(path)
    assert [item.question for item in items] == [
        "What is balance billing?",
        "Which hoodie is blue?",
    ]
    assert items[0].truth_citations == ["plan.pdf#page=7"]
    assert items[1].truth_citations == ["products.csv#id=4", "notes.md"]


def test_a_truth_without_citations_loads_with_none(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", [_row("Hello?", "Hi there.")])
    assert load_dataset(path)[0].truth_citations == []


def test_invalid_json_names_the_file_and_line(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", [_row("Q1?", "A1."), '{"question": "Q2?", "truth": '])
    with pytest.raises(DatasetError, match=r"qa\.jsonl:2: not valid JSON") as caught:
        load_dataset(path)
    assert caught.value.line_number == 2
    assert caught.value.path == path


def test_a_missing_field_is_named(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", [_row("Q1?", "A1."), "", json.dumps({"question": "Q"})])
    with pytest.raises(DatasetError, match=r"qa\.jsonl:3: field 'truth'"):
        load_dataset(path)


def test_a_line_that_is_not_an_object_is_rejected(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", ['["Q1?", "A1."]'])
    with pytest.raises(DatasetError, match=r"qa\.jsonl:1: expected a JSON object"):
        load_dataset(path)


def test_an_empty_question_is_rejected(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", [_row("", "A1.")])
    with pytest.raises(DatasetError, match=r"qa\.jsonl:1: field 'question'"):
        load_dataset(path)


def test_an_empty_file_is_an_error(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", [""])
    with pytest.raises(DatasetError, match="no questions"):
        load_dataset(path)


def test_a_missing_file_is_named(tmp_path: Path):
    with pytest.raises(DatasetError, match=r"absent\.jsonl: cannot read dataset"):
        load_dataset(tmp_path / "absent.jsonl")
