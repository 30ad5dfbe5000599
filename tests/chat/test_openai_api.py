import json

from chat.openai_api import CompletionRequest, to_sse
from ridgeline.errors import ModelError


def test_temperature_and_seed_become_overrides_and_context_overrides_pass_through():
    request = CompletionRequest.model_validate(
        {
            "model": "ridgeline",
            "messages": [{"role": "user", "content": "Hi?"}],
            "temperature": 0.4,
            "seed": 9,
            "context": {"overrides": {"top": 2}},
        }
    )
    overrides = request.to_chat_request().overrides
    assert (overrides.temperature, overrides.seed, overrides.top) == (0.4, 9, 2)


def test_a_failure_after_the_stream_started_is_an_error_event_and_no_done():
    def events():
        yield {"type": "response.context", "context": {}, "session_state": None}
        yield {"type": "response.output_text.delta", "delta": "Hal"}
        raise ModelError("chat model 'gpt-test' timed out")

    lines = list(to_sse(events(), model="ridgeline"))
    assert json.loads(lines[0].removeprefix("data: "))["choices"][0]["delta"]["role"] == "assistant"
    assert json.loads(lines[1].removeprefix("data: "))["choices"][0]["delta"] == {"content": "Hal"}
    assert json.loads(lines[-1].removeprefix("data: ")) == {
        "error": {"message": "chat model 'gpt-test' timed out", "type": "server_error"}
    }
    assert "data: [DONE]\n\n" not in lines
