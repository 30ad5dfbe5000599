"""Bug 4 of issue 12 (the query side): an attached image obeys RIDGELINE_MAX_IMAGE_PIXELS, read
from its header before a pixel is decoded; /chat/stream refuses before it starts streaming."""

import pytest

from chat.config import AppConfig
from chat.limits import RequestLimits
from tests.chat.apps import running_app
from tests.security.http_fixtures import data_url, png_claiming, small_png, with_image

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    config = AppConfig(limits=RequestLimits(max_image_pixels=50_000_000))
    with running_app(tmp_path_factory.mktemp("query-images"), config=config) as running:
        yield running


@pytest.mark.parametrize("path", ["/chat", "/chat/stream", "/v1/chat/completions"])
def test_a_13000_by_13000_png_is_refused_with_413_naming_the_setting(app, path):
    body = with_image(data_url(png_claiming(13000, 13000)))
    response = app.client.post(path, json=body)
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/json"
    message = str(response.json()["error"])
    assert "13000x13000" in message and "RIDGELINE_MAX_IMAGE_PIXELS" in message


def test_four_big_images_at_once_are_refused_and_none_reaches_the_search(app):
    calls = len(app.retriever.calls)
    parts = [{"type": "text", "text": "Which tent?"}] + [
        {"type": "image_url", "image_url": {"url": data_url(png_claiming(9000, 9000))}}
    ] * 4
    response = app.client.post("/chat", json={"messages": [{"role": "user", "content": parts}]})
    assert response.status_code == 413
    assert len(app.retriever.calls) == calls


def test_an_image_within_the_limit_is_searched_with(app):
    response = app.client.post("/chat", json=with_image(data_url(small_png())))
    assert response.status_code == 200, response.text
    assert app.retriever.calls[-1].image_bytes == small_png()


def test_the_limit_is_the_configured_one(tmp_path):
    config = AppConfig(limits=RequestLimits(max_image_pixels=1000))
    with running_app(tmp_path, config=config) as app:
        assert app.client.post("/chat", json=with_image(data_url(small_png((30, 30))))).is_success
        over = app.client.post("/chat", json=with_image(data_url(small_png((40, 30)))))
        assert over.status_code == 413 and "1,000" in over.json()["error"]
