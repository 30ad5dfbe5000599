"""Protocol tests: the real ``openai`` SDK talks to a tiny chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import openai
import pytest

from chat.models.openai_compatible import OpenAIChatModel
from chat.prompts import SYSTEM_PROMPT
from ridgeline.errors import ModelError
from ridgeline.protocols import ChatModel
from ridgeline.types import ChatMessage
from tests.chat.fakes import make_hit

pytestmark = pytest.mark.integration


class ChatCompletionsServer(ThreadingHTTPServer):
    """Answers chat-completions requests with ``reply`` (or an error ``status``); keeps them."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[dict[str, Any]] = []
        self.reply = "The tent costs $250.00. [products.csv#id=7]"
        self.status = 200

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: ChatCompletionsServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body})
        payload = _completion(body["model"], self.server.reply)
        if self.server.status != 200:
            payload = {"error": {"message": "model overloaded", "type": "server_error"}}
        data = json.dumps(payload).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 321, "completion_tokens": 12, "total_tokens": 333},
    }


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    server = ChatCompletionsServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def make_model(server: ChatCompletionsServer, **options: Any) -> OpenAIChatModel:
    def client_factory() -> openai.OpenAI:
        return openai.OpenAI(base_url=server.base_url, api_key="test-key", max_retries=0)

    return OpenAIChatModel(client_factory=client_factory, model="gpt-test", **options)


SOURCES = [
    make_hit("products.csv#id=7", "Name: TrailMaster X4 Tent\nPrice: $250.00"),
    make_hit("manual.pdf#page=2", "Pitch the tent\non flat ground."),
]
CONVERSATION = [
    ChatMessage(role="user", content="Which tents do you sell?"),
    ChatMessage(role="assistant", content="The TrailMaster X4. [products.csv#id=7]"),
    ChatMessage(role="user", content="How much is it?"),
]


def test_it_is_a_chat_model(server):
    assert isinstance(make_model(server, temperature=0.0), ChatModel)


def test_the_request_carries_the_grounded_prompt_temperature_and_seed(server):
    """Protocol test against a local chat-completions server: the exact payload Ridgeline sends."""
    make_model(server, temperature=0.3, seed=7).answer(CONVERSATION, SOURCES)

    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["body"] == {
        "model": "gpt-test",
        "temperature": 0.3,
        "seed": 7,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": "Which tents do you sell?"},
            {"role": "assistant", "content": "The TrailMaster X4. [products.csv#id=7]"},
            {
                "role": "user",
                "content": "How much is it?\n\nSources:\n<sources>\n"
                "[products.csv#id=7]: Name: TrailMaster X4 Tent Price: $250.00\n"
                "[manual.pdf#page=2]: Pitch the tent on flat ground.\n</sources>",
            },
        ],
    }


def test_the_answer_text_citations_and_token_usage_are_parsed(server):
    """Protocol test against a local chat-completions server: the response is read back."""
    answer = make_model(server, temperature=0.0).answer(CONVERSATION, SOURCES)
    assert answer.text == "The tent costs $250.00. [products.csv#id=7]"
    assert answer.citations == ["products.csv#id=7"]
    assert (answer.prompt_tokens, answer.completion_tokens) == (321, 12)
    assert answer.model == "gpt-test"


def test_no_seed_is_sent_unless_set_and_options_apply_per_copy(server):
    """Protocol test against a local chat-completions server: per-request generation options."""
    model = make_model(server, temperature=0.0)
    model.answer(CONVERSATION, SOURCES)
    model.with_options(temperature=1.2, seed=99).answer(CONVERSATION, SOURCES)

    first, second = (r["body"] for r in server.requests)
    assert "seed" not in first and first["temperature"] == 0.0
    assert (second["temperature"], second["seed"]) == (1.2, 99)


def test_a_server_error_becomes_a_model_error_naming_the_model(server):
    """Protocol test against a local chat-completions server that fails."""
    server.status = 503
    with pytest.raises(ModelError, match="gpt-test"):
        make_model(server, temperature=0.0).answer(CONVERSATION, SOURCES)
