"""Protocol tests: the real ``openai`` SDK talks to a tiny chat-completions server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
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
        self.delay_s = 0.0
        self.fail_mid_stream = False

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that timed out and hung up is what a test wanted, not noise to print


class _Handler(BaseHTTPRequestHandler):
    server: ChatCompletionsServer

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body})
        time.sleep(self.server.delay_s)
        if body.get("stream") and self.server.status == 200:
            self._stream(body["model"])
            return
        payload = _completion(body["model"], self.server.reply)
        if self.server.status != 200:
            payload = {"error": {"message": "model overloaded", "type": "server_error"}}
        data = json.dumps(payload).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, model: str) -> None:
        """Server-sent chunks as the chat-completions protocol streams them."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        words = self.server.reply.split(" ")
        pieces = [w if i == 0 else f" {w}" for i, w in enumerate(words)]
        events = [_chunk(model, {"role": "assistant", "content": ""})]
        events += [_chunk(model, {"content": piece}) for piece in pieces]
        if self.server.fail_mid_stream:
            events = [*events[:2], {"error": {"message": "upstream broke", "type": "server_error"}}]
        else:
            events.append({**_chunk(model, {}, finish="stop")})
            events.append({**_chunk(model, None), "usage": USAGE})
        for event in events:
            self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
            self.wfile.flush()
        if not self.server.fail_mid_stream:
            self.wfile.write(b"data: [DONE]\n\n")

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


USAGE = {"prompt_tokens": 321, "completion_tokens": 12, "total_tokens": 333}


def _chunk(model: str, delta: dict[str, Any] | None, finish: str | None = None) -> dict[str, Any]:
    choices = [] if delta is None else [{"index": 0, "delta": delta, "finish_reason": finish}]
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": model,
        "choices": choices,
    }


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


def make_model(
    server: ChatCompletionsServer, *, timeout: float = 10.0, **options: Any
) -> OpenAIChatModel:
    def client_factory() -> openai.OpenAI:
        return openai.OpenAI(
            base_url=server.base_url, api_key="test-key", max_retries=0, timeout=timeout
        )

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


def test_a_streamed_answer_comes_as_deltas_then_the_answer_with_usage(server):
    """Protocol test against a local chat-completions server streaming server-sent chunks."""
    events = list(make_model(server, temperature=0.0).stream(CONVERSATION, SOURCES))
    *deltas, answer = events
    assert "".join(deltas) == server.reply and len(deltas) == len(server.reply.split(" "))
    assert answer.text == server.reply and answer.citations == ["products.csv#id=7"]
    assert (answer.prompt_tokens, answer.completion_tokens) == (321, 12)
    body = server.requests[0]["body"]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}


def test_a_stream_that_breaks_becomes_a_model_error(server):
    """Protocol test against a local server that sends an error event mid-stream."""
    server.fail_mid_stream = True
    with pytest.raises(ModelError, match="upstream broke"):
        list(make_model(server, temperature=0.0).stream(CONVERSATION, SOURCES))


def test_a_slow_server_becomes_a_model_error_saying_it_timed_out(server):
    """Protocol test against a local chat-completions server slower than the client timeout."""
    server.delay_s = 1.0
    with pytest.raises(ModelError, match="gpt-test' timed out"):
        make_model(server, temperature=0.0, timeout=0.2).answer(CONVERSATION, SOURCES)


def test_an_unreachable_server_becomes_a_model_error_saying_so():
    """Protocol test: nothing listens on the port."""

    def client_factory() -> openai.OpenAI:
        return openai.OpenAI(base_url="http://127.0.0.1:9/v1", api_key="k", max_retries=0)

    model = OpenAIChatModel(client_factory=client_factory, model="gpt-test", temperature=0.0)
    with pytest.raises(ModelError, match="could not be reached"):
        model.answer(CONVERSATION, SOURCES)


def test_a_vision_request_sends_the_users_image_and_source_images_as_parts(server, tmp_path):
    """Protocol test against a local chat-completions server: image parts in the payload."""
    from PIL import Image

    figure = tmp_path / "figure1_1.png"
    Image.new("RGB", (4, 4), (0, 128, 0)).save(figure)
    attached = "data:image/png;base64,iVBORw0KGgo="
    question = ChatMessage(role="user", content="Is this the tent?", images=(attached,))
    source = make_hit("manual.pdf#page=2", "The green tent.", images=(str(figure),))
    model = make_model(server, temperature=0.5, seed=3, vision=True)
    model.answer([question], [source])

    body = server.requests[0]["body"]
    assert (body["temperature"], body["seed"]) == (0.5, 3)
    parts = body["messages"][-1]["content"]
    assert [p["type"] for p in parts] == ["text", "image_url", "text", "image_url"]
    assert parts[0]["text"].startswith("Is this the tent?\n\nSources:\n<sources>")
    assert parts[1] == {"type": "image_url", "image_url": {"url": attached}}
    assert parts[3]["image_url"]["url"].startswith("data:image/png;base64,iVBOR")
    assert "Images may come with the question" in body["messages"][0]["content"]


def test_per_request_prompt_options_change_the_rules_sent(server):
    """Protocol test: a prompt template and follow-up rules reach the system message."""
    model = make_model(server, temperature=0.0).with_options(
        temperature=None, seed=None, prompt_template=">>> Be cheerful.", suggest_followups=True
    )
    model.answer(CONVERSATION, SOURCES)
    system = server.requests[0]["body"]["messages"][0]["content"]
    assert system.startswith(SYSTEM_PROMPT) and "Be cheerful." in system and "<<" in system
