import base64
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from ridgeline.errors import ModelError
from ridgeline.providers.captioner import (
    OFFLINE_LABEL,
    OfflineCaptioner,
    OpenAIVisionCaptioner,
    colour_name,
    dominant_colours,
)
from ridgeline.providers.llm import OpenAICompatibleClient
from ridgeline.providers.llm_types import LlmConfig
from tests.ridgeline.providers.recording_server import Recorded, recording_server


def _llm(url: str) -> OpenAICompatibleClient:
    config = LlmConfig(model="gpt-4o-mini", base_url=f"{url}/v1", api_key="k", max_retries=0)
    return OpenAICompatibleClient(config, role="caption")


@pytest.fixture
def blue_and_white(tmp_path: Path) -> Path:
    """Three quarters blue, one quarter white."""
    image = Image.new("RGB", (80, 80), (40, 80, 220))
    ImageDraw.Draw(image).rectangle((0, 0, 79, 19), fill="white")
    path = tmp_path / "sign.png"
    image.save(path)
    return path


def test_colour_names_are_the_nearest_reference() -> None:
    assert colour_name((250, 250, 245)) == "white"
    assert colour_name((20, 20, 20)) == "black"
    assert colour_name((200, 40, 30)) == "red"


def test_dominant_colours_are_ranked_by_their_share(blue_and_white: Path) -> None:
    colours = dominant_colours(blue_and_white)

    assert [name for name, _ in colours] == ["blue", "white"]
    assert colours[0][1] == pytest.approx(0.75, abs=0.02)


def test_the_offline_caption_says_it_is_not_a_model_and_uses_all_it_knows(
    blue_and_white: Path,
) -> None:
    caption = OfflineCaptioner().caption(
        blue_and_white, context="Figure 2: trail sign at the summit", ocr_text="SUMMIT\n2,410 m"
    )

    assert caption == (
        f"{OFFLINE_LABEL} mostly blue with white. Visible text: SUMMIT 2,410 m. "
        "Context: Figure 2: trail sign at the summit"
    )


def test_the_offline_caption_of_a_bare_image_is_its_colours(blue_and_white: Path) -> None:
    assert OfflineCaptioner().caption(blue_and_white) == f"{OFFLINE_LABEL} mostly blue with white."


def chat_reply(text: str) -> dict[str, object]:
    return {
        "id": "cmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": text},
            }
        ],
    }


@pytest.mark.integration
def test_the_vision_captioner_sends_the_image_inline_with_its_context(
    blue_and_white: Path,
) -> None:
    """Real ``openai`` SDK against a local HTTP server on 127.0.0.1 that records the payload."""

    def respond(request: Recorded) -> tuple[int, object]:
        return 200, chat_reply("  A blue trail sign reading\nSUMMIT 2,410 m. ")

    with recording_server(respond) as server:
        captioner = OpenAIVisionCaptioner(
            llm=_llm(server.url),
        )
        caption = captioner.caption(blue_and_white, context="Figure 2", ocr_text="SUMMIT")

    assert caption == "A blue trail sign reading SUMMIT 2,410 m."
    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    body = request.json()
    assert body["model"] == "gpt-4o-mini" and body["temperature"] == 0.0
    assert body["max_tokens"] == 120
    text_part, image_part = body["messages"][0]["content"]
    assert "visible text and numbers" in text_part["text"]
    assert "Figure 2" in text_part["text"] and "SUMMIT" in text_part["text"]
    prefix, encoded = image_part["image_url"]["url"].split(",", 1)
    assert prefix == "data:image/png;base64"
    assert base64.b64decode(encoded) == blue_and_white.read_bytes()


@pytest.mark.integration
def test_a_failing_vision_endpoint_raises_a_model_error_naming_the_image(
    blue_and_white: Path,
) -> None:
    """Real ``openai`` SDK against a local HTTP server on 127.0.0.1 answering 500."""
    with recording_server(lambda request: (500, {"error": {"message": "down"}})) as server:
        captioner = OpenAIVisionCaptioner(
            llm=_llm(server.url),
        )
        with pytest.raises(ModelError, match=r"sign\.png"):
            captioner.caption(blue_and_white)
