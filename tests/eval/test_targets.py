"""Targets: the in-process call, and HTTP against a real uvicorn server on 127.0.0.1."""

import time
from typing import Any

import pytest

from eval.targets import HttpTarget, InProcessTarget
from tests.eval.servers import chat_protocol_app
from tests.servers import serve_in_thread


def _response(text: str, citations: list[str]) -> dict[str, Any]:
    return {
        "output_text": text,
        "context": {
            "data_points": {
                "text": [f"{c}: source text" for c in citations],
                "images": [],
                "citations": citations,
            },
            "thoughts": [],
            "followup_questions": [],
        },
    }


def test_the_request_body_follows_the_chat_protocol():
    received: list[dict[str, Any]] = []

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        received.append(body)
        return _response("Covered.[plan.pdf#page=2]", ["plan.pdf#page=2"])

    InProcessTarget(chat).ask("Is it covered?", overrides={"top": 3})
    assert received == [
        {
            "messages": [{"role": "user", "content": "Is it covered?"}],
            "context": {"overrides": {"top": 3}},
        }
    ]


def test_the_answer_its_citations_sources_and_contexts_are_read_back():
    sources = ["plan.pdf#page=2", "plan.pdf#page=5(figure1_1.png)", "products.csv#id=9"]

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        return _response("Covered.[plan.pdf#page=2] See [1].[products.csv#id=9]", sources)

    result = InProcessTarget(chat).ask("Is it covered?", overrides={})
    assert result.error is None
    assert result.answer_citations == ["plan.pdf#page=2", "products.csv#id=9"]
    assert result.source_citations == sources
    assert result.contexts[0] == "plan.pdf#page=2: source text"
    assert result.latency_s >= 0


def test_a_chat_function_that_raises_becomes_an_error_result():
    def chat(body: dict[str, Any]) -> dict[str, Any]:
        raise TimeoutError("model did not answer")

    result = InProcessTarget(chat).ask("Is it covered?", overrides={})
    assert result.error == "TimeoutError: model did not answer"
    assert result.answer == "" and result.source_citations == []


def test_a_response_outside_the_protocol_is_an_error_result():
    result = InProcessTarget(lambda body: {"message": {"content": "old"}}).ask("Q?", overrides={})
    assert result.error is not None and "output_text" in result.error


def test_latency_is_measured_around_the_call():
    def chat(body: dict[str, Any]) -> dict[str, Any]:
        time.sleep(0.05)
        return _response("Done.", [])

    assert InProcessTarget(chat).ask("Slow?", overrides={}).latency_s >= 0.05


def _server_answer(body: dict[str, Any]) -> dict[str, Any]:
    question = body["messages"][-1]["content"]
    if question == "Crash?":
        return {"status": 503, "error": "overloaded"}
    if question == "Bad?":
        return {"status": 422, "error": "invalid request"}
    return _response(f"About {question}[plan.pdf#page=4]", ["plan.pdf#page=4", "plan.pdf#page=1"])


@pytest.mark.integration
@pytest.mark.parametrize("stream", [False, True])
def test_an_http_target_reads_json_and_ndjson_answers(stream: bool):
    received: list[dict[str, Any]] = []
    with serve_in_thread(chat_protocol_app(_server_answer, received=received)) as base:
        target = HttpTarget(f"{base}/chat/stream" if stream else f"{base}/chat", stream=stream)
        result = target.ask("copays?", overrides={"top": 2})
        target.close()
    assert result.error is None
    assert result.answer == "About copays?[plan.pdf#page=4]"
    assert result.source_citations == ["plan.pdf#page=4", "plan.pdf#page=1"]
    assert result.contexts == ["plan.pdf#page=4: source text", "plan.pdf#page=1: source text"]
    assert received[0]["context"] == {"overrides": {"top": 2}}


@pytest.mark.integration
def test_http_errors_say_whether_they_are_worth_a_retry():
    with serve_in_thread(chat_protocol_app(_server_answer, received=[])) as base:
        target = HttpTarget(f"{base}/chat")
        server_error = target.ask("Crash?", overrides={})
        client_error = target.ask("Bad?", overrides={})
        target.close()
    assert server_error.error is not None and server_error.error.startswith("HTTP 503")
    assert server_error.retryable
    assert client_error.error is not None and client_error.error.startswith("HTTP 422")
    assert not client_error.retryable


@pytest.mark.integration
def test_an_unreachable_endpoint_is_a_retryable_error():
    target = HttpTarget("http://127.0.0.1:9/chat", timeout_s=2)
    result = target.ask("Anyone?", overrides={})
    assert result.error is not None and result.retryable
