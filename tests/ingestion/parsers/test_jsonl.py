"""``.jsonl`` document collections: one citable page per line; a bad line names its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingestion.parsers.jsonl import JsonlParser
from ridgeline.errors import CorruptFileError


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "kb.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parse(path: Path):
    return list(JsonlParser().parse(path, source=path.name))


def test_each_line_is_a_page_with_its_id_title_and_metadata(tmp_path: Path):
    path = write(
        tmp_path,
        json.dumps(
            {
                "id": "kb-1",
                "title": "Returns",
                "text": "Returns within 30 days.",
                "metadata": {"category": "Policies", "price": 0, "tags": ["a", "b"]},
            }
        ),
        "",
        json.dumps({"text": "Tents are pitched on flat ground."}),
        json.dumps({"id": 7, "text": "Stoves are used outdoors.", "metadata": {"indoor": False}}),
    )

    pages = parse(path)

    assert [page.record_id for page in pages] == ["kb-1", "3", "7"]  # default: the line number
    assert pages[0].title == "Returns" and pages[0].text == "Returns within 30 days."
    assert pages[0].fields == {"category": "Policies", "price": 0, "tags": "a, b"}
    assert pages[2].fields == {"indoor": "false"}


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": "x", "text": "ok"', r"line 2: not valid JSON"),
        ('["a list"]', r"line 2: expected a JSON object with a 'text' field"),
        ('{"id": "x"}', r"line 2: 'text': Field required"),
        ('{"text": "   "}', r"line 2: 'text' is empty"),
        ('{"text": "t", "body": "b"}', r"line 2: unknown field 'body' \(fields: id, title, text"),
        ('{"text": "t", "metadata": {"price": "cheap"}}', r"line 2: metadata price 'cheap'"),
        ('{"text": "t", "metadata": {"nested": {"a": 1}}}', r"line 2: 'metadata.nested"),
        ('{"id": "kb-1", "text": "again"}', r"lines 1 and 2 have the same id 'kb-1'"),
    ],
)
def test_a_bad_line_fails_the_file_naming_the_line(tmp_path: Path, line: str, reason: str):
    path = write(tmp_path, json.dumps({"id": "kb-1", "text": "first"}), line)

    with pytest.raises(CorruptFileError, match=reason) as error:
        parse(path)
    assert error.value.path == path
