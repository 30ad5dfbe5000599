"""``ridgeline search``: ranks chunks through the library as the chat does; filters; --json.
The text embedder is the hashing one, registered as a plugin; the index is real LanceDB."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ridgeline.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def fast_embedder(hashing_plugin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIDGELINE_TEXT_EMBEDDER", hashing_plugin)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main.app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


@pytest.fixture
def index(tmp_path: Path) -> str:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "products.csv").write_text(
        "id,name,price,category,description\n"
        "1,Granite Dome Tent,189.00,Tents,It weighs 2.4 kg.\n"
        "2,Cirrus Tent,320.00,Tents,It weighs 1.3 kg and comes in red.\n"
        "3,Basalt Poles,59.50,Accessories\n",
        encoding="utf-8",
    )
    (docs / "kb.jsonl").write_text(
        '{"id": "care", "title": "Tent care", "text": "Dry a tent before you store it."}\n',
        encoding="utf-8",
    )
    folder = str(tmp_path / "index")
    code, output = run("ingest", str(docs), "--index", folder)
    assert code == 0, output
    return folder


def test_search_prints_ranked_citations(index: str) -> None:
    code, output = run("search", "store a dry tent", "--index", index, "--mode", "text")

    assert code == 0, output
    assert output.splitlines()[0].startswith("1. kb.jsonl#id=care")


def test_search_filters_and_prints_json(index: str) -> None:
    code, output = run(
        "search", "tent", "--index", index, "--json", "--category", "Tents", "--max-price", "200"
    )

    assert code == 0, output
    assert [hit["chunk"]["citation"] for hit in json.loads(output)] == ["products.csv#id=1"]


def test_search_filters_on_stored_attributes(index: str) -> None:
    code, output = run(
        "search", "tent", "--index", index, "--json", "--at-most", "weight_kg=2", "--colour", "red"
    )

    assert code == 0, output
    assert [hit["chunk"]["citation"] for hit in json.loads(output)] == ["products.csv#id=2"]
    code, output = run("search", "tent", "--index", index, "--at-most", "weight=2")
    assert code == 2 and "unknown attribute 'weight': use one of weight_kg" in output


def test_search_on_an_empty_index_says_what_to_do(tmp_path: Path) -> None:
    code, output = run("search", "tent", "--index", str(tmp_path / "empty"))

    assert code == 2 and "is empty: run `ridgeline ingest` first" in output


def test_an_error_names_a_long_path_on_one_line_so_it_can_be_pasted(tmp_path: Path) -> None:
    deep = tmp_path.joinpath(*["a-folder-with-a-long-name"] * 10, "empty")

    code, output = run("search", "tent", "--index", str(deep))

    assert code == 2 and str(deep) in output


def test_an_unregistered_backend_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIDGELINE_INDEX_BACKEND", "solr")
    monkeypatch.setenv("RIDGELINE_TOP_K", "500")

    code, output = run("search", "tent")

    assert code == 2 and "Traceback" not in output
    assert "RIDGELINE_INDEX_BACKEND: unknown index backend 'solr'; choose one of: azure" in output
    assert "RIDGELINE_TOP_K: Input should be less than or equal to 50" in output
