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


def test_optional_fields_image_gold_and_refusal_are_read(tmp_path: Path):
    (tmp_path / "tent.png").write_bytes(b"not checked here")
    row = {
        "question": "Which tent is this?",
        "truth": "The Ptarmigan.[products.csv#id=3]",
        "image": "tent.png",
        "gold_ids": ["products.csv#id=3", "chunk-17"],
    }
    refusal = {"question": "Who won in 1998?", "truth": "", "expect_refusal": True}
    path = _write(tmp_path / "qa.jsonl", [json.dumps(row), json.dumps(refusal)])

    first, second = load_dataset(path)
    assert first.image == str((tmp_path / "tent.png").resolve())
    assert first.gold_citations == ["products.csv#id=3", "chunk-17"]
    assert first.retrieval_gold == ["products.csv#id=3", "chunk-17"]
    assert not first.expect_refusal
    assert second.expect_refusal and second.truth_citations == []


def test_a_whole_file_can_be_marked_as_questions_to_refuse(tmp_path: Path):
    path = _write(
        tmp_path / "dontknows.jsonl",
        [_row("Is the Platinum plan good?", "Generated from this prompt: [x.pdf#page=1]")],
    )
    item = load_dataset(path, expect_refusal=True)[0]
    assert item.expect_refusal
    assert item.truth_citations == []  # the truth is not an answer, so it cites nothing


def test_a_missing_image_file_is_named(tmp_path: Path):
    path = _write(
        tmp_path / "qa.jsonl", [json.dumps({"question": "Q?", "truth": "A.", "image": "x.png"})]
    )
    with pytest.raises(DatasetError, match=r"qa\.jsonl:1: field 'image': no such file"):
        load_dataset(path)


def test_image_urls_are_kept_as_they_are(tmp_path: Path):
    row = {"question": "Q?", "truth": "A.", "image": "https://example.com/a.png"}
    path = _write(tmp_path / "qa.jsonl", [json.dumps(row)])
    assert load_dataset(path)[0].image == "https://example.com/a.png"


def test_the_key_depends_on_question_and_image_only(tmp_path: Path):
    path = _write(tmp_path / "qa.jsonl", [_row("Q?", "A."), _row("Q?", "B."), _row("R?", "A.")])
    first, second, third = load_dataset(path)
    assert first.key == second.key != third.key
