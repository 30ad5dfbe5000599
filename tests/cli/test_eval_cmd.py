"""``ridgeline eval``: run over HTTP (a real uvicorn server on 127.0.0.1), resume, compare,
report and generate, through the real command line."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from retrieval.lancedb import LanceDbIndex
from ridgeline.cli.main import app
from ridgeline.types import Chunk, SourceDocument
from tests.eval.servers import chat_protocol_app
from tests.ridgeline.providers.chat_completions_server import chat_completions_server
from tests.servers import serve_in_thread

runner = CliRunner()


def _answer(body: dict[str, Any]) -> dict[str, Any]:
    overrides = body["context"]["overrides"]
    cited = "[plan.pdf#page=2]" if overrides.get("retrieval_mode") == "hybrid" else ""
    return {
        "output_text": f"Eye exams are covered.{cited}",
        "context": {
            "data_points": {
                "text": ["plan.pdf#page=2: eye exams are covered"],
                "citations": ["plan.pdf#page=2"],
            }
        },
    }


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    path = tmp_path / "qa.jsonl"
    rows = [
        {
            "question": f"Are eye exams covered ({i})?",
            "truth": "Yes, eye exams are covered.[plan.pdf#page=2]",
        }
        for i in range(6)
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _run(*args: str) -> Any:
    result = runner.invoke(app, ["eval", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.integration
def test_runs_over_http_compare_with_p_values(dataset: Path, tmp_path: Path):
    config = tmp_path / "eval.yaml"
    with serve_in_thread(chat_protocol_app(_answer, received=[])) as base:
        config.write_text(
            f"dataset: {dataset.name}\nout: runs/text\nsemantic_similarity: false\n"
            f"target: {{kind: http, url: '{base}/chat/stream', stream: true}}\n"
            "overrides: {retrieval_mode: text}\nconcurrency: 2\n",
            encoding="utf-8",
        )
        _run("run", "--config", str(config))
        _run(
            "run",
            "--dataset",
            str(dataset),
            "--out",
            str(tmp_path / "runs/hybrid"),
            "--url",
            f"{base}/chat",
            "--mode",
            "hybrid",
            "--no-similarity",
        )
    text_summary = json.loads((tmp_path / "runs/text/summary.json").read_text())
    assert text_summary["metrics"]["citations_matched"]["mean"] == 0.0
    assert text_summary["metrics"]["hit_at_5"]["mean"] == 1.0

    result = _run(
        "compare",
        str(tmp_path / "runs/text"),
        str(tmp_path / "runs/hybrid"),
        "--out",
        str(tmp_path / "cmp"),
    )
    comparison = json.loads((tmp_path / "cmp/comparison.json").read_text())
    matched = next(m for m in comparison["metrics"] if m["metric"] == "citations_matched")
    assert [run["mean"] for run in matched["runs"]] == [0.0, 1.0]
    assert matched["runs"][1]["p_value"] == pytest.approx(2 / 64)
    assert len(comparison["changes"]) == 6
    assert "citations_matched" in result.output
    assert (tmp_path / "cmp/report.html").is_file() and (tmp_path / "cmp/report.md").is_file()


@pytest.mark.integration
def test_a_run_against_a_dead_endpoint_records_errors_and_exits_cleanly(
    dataset: Path, tmp_path: Path
):
    result = _run(
        "run",
        "--dataset",
        str(dataset),
        "--out",
        str(tmp_path / "r"),
        "--url",
        "http://127.0.0.1:9/chat",
        "--retries",
        "0",
        "--no-similarity",
        "--limit",
        "2",
    )
    summary = json.loads((tmp_path / "r/summary.json").read_text())
    assert (summary["rows"], summary["errors"]) == (2, 2)
    assert "errors" in result.output


def test_bad_invocations_are_clear_errors(tmp_path: Path):
    result = runner.invoke(
        app, ["eval", "run", "--dataset", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "dataset not found" in result.output
    result = runner.invoke(app, ["eval", "compare", str(tmp_path), str(tmp_path)])
    assert result.exit_code == 2 and "not a run folder" in result.output


TEXT = "The Northwind Standard plan covers eye exams, glasses and 80% of in-network costs."


def _one_chunk_index(tmp_path: Path, embedder: Any) -> None:
    index = LanceDbIndex(tmp_path / "index", dimension=embedder.dimension)
    chunk = Chunk(
        chunk_id="c1", document_id="d1", source="plan.pdf", citation="plan.pdf#page=2", content=TEXT
    )
    document = SourceDocument(
        document_id="d1", path=Path("plan.pdf"), source="plan.pdf", content_hash="h", size_bytes=1
    )
    index.replace_document(document, [chunk], embedder.embed_documents([TEXT]))


@pytest.mark.integration
def test_generate_with_an_llm_uses_the_configured_endpoint_and_policy(
    tmp_path: Path, hashing_embedder, monkeypatch: pytest.MonkeyPatch
):
    """``--llm-model`` without ``--llm-base-url``: the RIDGELINE_OPENAI_* endpoint, its seed."""
    _one_chunk_index(tmp_path, hashing_embedder)
    with chat_completions_server() as server:
        server.reply = json.dumps({"question": "What is covered?", "answer": "Eye exams."})
        monkeypatch.setenv("RIDGELINE_OPENAI_BASE_URL", server.base_url)
        monkeypatch.setenv("RIDGELINE_OPENAI_API_KEY", "sk-local")
        monkeypatch.setenv("RIDGELINE_LLM_SEED", "17")
        out = tmp_path / "generated.jsonl"
        args = ["--index", str(tmp_path / "index"), "--out", str(out), "--llm-model", "gen-1"]
        result = _run("generate", *args)
    assert "by gen-1" in result.output
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row["truth"] == "Eye exams.[plan.pdf#page=2]" and row["generated_by"] == "llm:gen-1"
    (request,) = server.requests
    assert request.headers["authorization"] == "Bearer sk-local"
    assert (request.body["model"], request.body["seed"]) == ("gen-1", 17)


@pytest.mark.integration
def test_generate_writes_template_questions_from_an_index(tmp_path: Path, hashing_embedder):
    index = LanceDbIndex(tmp_path / "index", dimension=hashing_embedder.dimension)
    text = TEXT
    chunk = Chunk(
        chunk_id="c1", document_id="d1", source="plan.pdf", citation="plan.pdf#page=2", content=text
    )
    document = SourceDocument(
        document_id="d1", path=Path("plan.pdf"), source="plan.pdf", content_hash="h", size_bytes=1
    )
    index.replace_document(document, [chunk], hashing_embedder.embed_documents([text]))

    out = tmp_path / "generated.jsonl"
    result = _run("generate", "--index", str(tmp_path / "index"), "--out", str(out), "--count", "3")
    (row,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert row == {
        "question": "What does the Northwind Standard plan cover?",
        "truth": f"{text}[plan.pdf#page=2]",
        "generated_by": "template",
    }
    assert "from templates (offline)" in result.output
