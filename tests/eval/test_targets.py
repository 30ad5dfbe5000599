import time
from typing import Any

from eval.targets import InProcessTarget


def _response(text: str, citations: list[str]) -> dict[str, Any]:
    return {
        "output_text": text,
        "context": {
            "data_points": {"text": [], "images": [], "citations": citations},
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


def test_the_answer_its_citations_and_the_ranked_sources_are_read_back():
    sources = ["plan.pdf#page=2", "plan.pdf#page=5(figure1_1.png)", "products.csv#id=9"]

    def chat(body: dict[str, Any]) -> dict[str, Any]:
        return _response("Covered.[plan.pdf#page=2] See [1].[products.csv#id=9]", sources)

    result = InProcessTarget(chat).ask("Is it covered?", overrides={})
    assert result.error is None
    assert result.answer == "Covered.[plan.pdf#page=2] See [1].[products.csv#id=9]"
    assert result.answer_citations == ["plan.pdf#page=2", "products.csv#id=9"]
    assert result.source_citations == sources
    assert result.latency_s >= 0


def test_a_chat_function_that_raises_becomes_an_error_result():
    def chat(body: dict[str, Any]) -> dict[str, Any]:
        raise TimeoutError("model did not answer")

    result = InProcessTarget(chat).ask("Is it covered?", overrides={})
    assert result.error == "TimeoutError: model did not answer"
    assert result.answer == "" and result.source_citations == []


def test_a_response_outside_the_protocol_is_an_error_result():
    def chat(body: dict[str, Any]) -> dict[str, Any]:
        return {"message": {"content": "old shape"}}

    result = InProcessTarget(chat).ask("Is it covered?", overrides={})
    assert result.error is not None
    assert "output_text" in result.error


def test_latency_is_measured_around_the_call():
    def chat(body: dict[str, Any]) -> dict[str, Any]:
        time.sleep(0.05)
        return _response("Done.", [])

    assert InProcessTarget(chat).ask("Slow?", overrides={}).latency_s >= 0.05
