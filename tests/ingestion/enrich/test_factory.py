"""Settings -> the captioner -> the one LLM client -> the real ``openai`` SDK -> a local
chat-completions server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from ingestion.enrich.factory import build_captioner
from ridgeline.providers.captioner import OpenAIVisionCaptioner
from ridgeline.settings import Settings
from tests.ridgeline.providers.chat_completions_server import (
    ChatCompletionsServer,
    chat_completions_server,
)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # a developer's .env must not leak in


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    with chat_completions_server() as server:
        yield server


@pytest.mark.integration
def test_the_azure_captioner_calls_the_caption_deployment(
    server: ChatCompletionsServer, tmp_path: Path
) -> None:
    image = tmp_path / "red.png"
    Image.new("RGB", (8, 8), (200, 30, 30)).save(image)
    server.reply = "A red square."
    captioner = build_captioner(
        settings(
            captioner="azure",
            azure_openai_endpoint=server.url,
            azure_openai_api_key="k",
            caption_model="gpt-4o-captions",
            llm_max_retries=0,
        )
    )
    assert isinstance(captioner, OpenAIVisionCaptioner)
    assert captioner.caption(image) == "A red square."
    (request,) = server.requests
    assert request.path == "/openai/deployments/gpt-4o-captions/chat/completions"
    assert request.headers["api-key"] == "k"
