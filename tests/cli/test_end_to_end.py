"""The whole offline path through the public surfaces: CLI ingest, then HTTP /chat on a real
uvicorn server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from chat.app import create_app
from ridgeline.cli import wiring
from ridgeline.cli.main import app
from ridgeline.settings import Settings
from tests.servers import serve_in_thread

pytestmark = [pytest.mark.integration, pytest.mark.models]

runner = CliRunner()


@pytest.fixture
def ingested(small_corpus: Path, tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    result = runner.invoke(app, ["ingest", str(small_corpus), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


@pytest.fixture
def server(ingested: Path) -> Iterator[str]:
    settings = Settings(index_dir=ingested)
    service = wiring.build_chat_service(settings, wiring.build_index(settings))
    with serve_in_thread(create_app(service)) as base_url:
        yield base_url


def _ask(base_url: str, question: str) -> dict:
    body = {"messages": [{"role": "user", "content": question}]}
    response = httpx.post(f"{base_url}/chat", json=body, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_pdf_fact_is_answered_over_http_with_its_page_citation(server: str):
    answer = _ask(server, "How much does a late kayak return cost?")
    assert "[staff_guide.pdf#page=2]" in answer["output_text"]
    assert "40 dollars" in answer["output_text"]
    assert answer["context"]["data_points"]["citations"][0] == "staff_guide.pdf#page=2"


def test_a_catalog_price_is_answered_with_the_row_citation(server: str):
    answer = _ask(server, "What is the price of the Larch 65 Backpack?")
    assert "[products.csv#id=3]" in answer["output_text"]
    assert "229" in answer["output_text"]


def test_a_category_named_in_a_question_narrows_products_but_keeps_documents(server: str):
    answer = _ask(server, "Do employees get a discount on backpacks?")
    citations = answer["context"]["data_points"]["citations"]
    assert "products.csv#id=3" in citations  # the backpack
    assert "staff_guide.pdf#page=3" in citations  # no category, so not filtered out
    assert not {"products.csv#id=1", "products.csv#id=2"} & set(citations)  # tent, poles
    search = json.dumps(answer["context"]["thoughts"][0])
    assert '"include_category": "Backpacks"' in search


def test_text_read_from_an_image_is_searchable(server: str):
    answer = _ask(server, "How many litres does the Glacier water filter filter?")
    assert "[filter_label.png]" in answer["output_text"]
    assert "1500" in answer["output_text"]


def test_an_unrelated_question_gets_an_honest_refusal_without_citations(server: str):
    answer = _ask(server, "Who won the 1998 chess olympiad?")
    assert "[" not in answer["output_text"]
    assert "don't know" in answer["output_text"].lower() or "not" in answer["output_text"].lower()


def test_a_malformed_chat_body_gets_a_4xx_json_error(server: str):
    response = httpx.post(
        f"{server}/chat", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert "error" in response.json()
    empty = httpx.post(f"{server}/chat", json={"messages": []})
    assert 400 <= empty.status_code < 500 and "error" in empty.json()


def test_reingesting_an_unchanged_corpus_does_nothing(small_corpus: Path, ingested: Path):
    result = runner.invoke(app, ["ingest", str(small_corpus), "--index", str(ingested)])
    assert result.exit_code == 0, result.output
    assert "unchanged" in result.output
    settings = Settings(index_dir=ingested)
    assert wiring.build_index(settings).count_chunks() > 0


def test_a_corrupt_file_is_reported_by_name_and_the_rest_is_ingested(
    small_corpus: Path, tmp_path: Path
):
    (small_corpus / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    index_dir = tmp_path / "index2"
    result = runner.invoke(app, ["ingest", str(small_corpus), "--index", str(index_dir)])
    assert result.exit_code == 1
    assert "broken.pdf" in result.output
    documents = wiring.build_index(Settings(index_dir=index_dir)).list_documents()
    assert sorted(d.source for d in documents) == [
        "filter_label.png",
        "products.csv",
        "staff_guide.pdf",
    ]


def test_ask_json_prints_the_chat_response_body(ingested: Path):
    result = runner.invoke(
        app,
        ["ask", "What is the price of the Granite Dome Tent?", "--index", str(ingested), "--json"],
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert "[products.csv#id=1]" in body["output_text"]
    assert body["context"]["data_points"]["citations"]


def test_ask_on_an_empty_index_says_to_ingest_first(tmp_path: Path):
    result = runner.invoke(app, ["ask", "anything", "--index", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "ingest" in result.output


def test_ingest_of_a_missing_path_names_it(tmp_path: Path):
    missing = tmp_path / "nope.pdf"
    result = runner.invoke(app, ["ingest", str(missing), "--index", str(tmp_path / "i")])
    assert result.exit_code == 2
    assert "nope.pdf" in result.output


def test_eval_run_writes_a_summary(ingested: Path, tmp_path: Path):
    dataset = tmp_path / "qa.jsonl"
    rows = [
        {
            "question": "How much is a late kayak return?",
            "truth": "40 dollars an hour.[staff_guide.pdf#page=2]",
        },
        {"question": "What does the Larch 65 Backpack cost?", "truth": "$229.[products.csv#id=3]"},
    ]
    dataset.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "run"
    result = runner.invoke(
        app, ["eval", "run", "--dataset", str(dataset), "--index", str(ingested), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["metrics"]["citations_matched"]["mean"] == 1.0
    assert summary["metrics"]["hit_at_5"]["mean"] == 1.0
    assert len((out / "eval_results.jsonl").read_text().splitlines()) == 2
    shutil.rmtree(out)


def test_ask_prints_the_answer_with_its_bracketed_citations(ingested: Path):
    result = runner.invoke(
        app, ["ask", "What is the price of the Larch 65 Backpack?", "--index", str(ingested)]
    )
    assert result.exit_code == 0, result.output
    assert "[products.csv#id=3]" in result.output


def test_an_llm_chat_rewrites_and_answers_through_one_client(
    ingested: Path, monkeypatch: pytest.MonkeyPatch
):
    """RIDGELINE_CHAT_MODEL=openai: the query rewriter and the answerer share the one LLM client
    (a local chat-completions server here); the thoughts show each call's token usage."""
    from chat.protocol import ChatRequest
    from tests.ridgeline.providers.chat_completions_server import chat_completions_server

    def reply(body: dict) -> str:
        if body.get("max_tokens"):  # the rewriter asks for a short query
            return "late kayak return cost"
        return "A late kayak return costs 40 dollars per hour. [staff_guide.pdf#page=2]"

    with chat_completions_server() as llm_server:
        llm_server.reply = reply
        for name, value in {"CHAT_MODEL": "openai", "OPENAI_API_KEY": "sk-local"}.items():
            monkeypatch.setenv(f"RIDGELINE_{name}", value)
        monkeypatch.setenv("RIDGELINE_OPENAI_BASE_URL", llm_server.base_url)
        monkeypatch.setenv("RIDGELINE_LLM_SEED", "5")
        settings = Settings(index_dir=ingested)
        service = wiring.build_chat_service(settings, wiring.build_index(settings))
        messages = [
            {"role": "user", "content": "Can I rent a kayak?"},
            {"role": "assistant", "content": "Yes."},
            {"role": "user", "content": "What does it cost to bring it back late?"},
        ]
        response = service.chat(ChatRequest.model_validate({"messages": messages}))
    rewrite, answer = (request.body for request in llm_server.requests)
    assert rewrite["max_tokens"] == 100 and "kayak" in rewrite["messages"][-1]["content"]
    assert (answer["seed"], rewrite["seed"]) == (5, 5)
    assert "40 dollars" in response.output_text
    thoughts = json.dumps(response.model_dump(mode="json")["context"]["thoughts"])
    assert '"rewrite": "llm"' in thoughts and '"rewrite_token_usage"' in thoughts
    assert '"total_tokens": 333' in thoughts
