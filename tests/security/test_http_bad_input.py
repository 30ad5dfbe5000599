"""Bug 6 of issue 12: inputs that were answered with a 500 get a precise 4xx JSON error, and
/chat/stream refuses a bad attached image before it starts streaming (not 200 + error line)."""

import pytest

from tests.chat.apps import running_app
from tests.security.http_fixtures import SVG, data_url, png_claiming, with_image

pytestmark = pytest.mark.integration

JSON = {"Content-Type": "application/json"}
# "\ud800" written as JSON escapes: valid JSON, but a lone surrogate once decoded.
SURROGATE = "\\ud800"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("bad-input")) as running:
        yield running


def assert_json_error(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    return str(response.json()["error"])


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/chat", '{"messages": [{"role": "user", "content": "tent %s"}]}'),
        ("/chat/stream", '{"messages": [{"role": "user", "content": "tent %s"}]}'),
        ("/chat", '{"messages": [{"role": "user", "content": "tent?"}], "session_state": "%s"}'),
        ("/chat", '{"messages": [{"role": "user", "content": "t?"}], "session_state": {"%s": 1}}'),
        ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "%s"}]}'),
        ("/chat_history", '{"id": "s1", "answers": [["%s", {}]]}'),
        ("/delete_uploaded", '{"filename": "%s.txt"}'),
    ],
)
def test_a_lone_surrogate_is_a_422(app, path, body):
    response = app.client.post(path, content=(body % SURROGATE).encode(), headers=JSON)
    assert "surrogate" in assert_json_error(response, 422)


@pytest.mark.parametrize(
    ("messages", "complaint"),
    [
        ([{"role": "user", "content": ""}], "no text and no image"),
        ([{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hi."}], "user"),
        ([{"role": "system", "content": "Be brief."}], "user"),
    ],
)
@pytest.mark.parametrize("stream", [False, True])
def test_completions_whose_last_message_is_not_a_user_question_are_a_422(
    app, messages, complaint, stream
):
    response = app.client.post(
        "/v1/chat/completions", json={"messages": messages, "stream": stream}
    )
    error = response.json()["error"]
    assert response.status_code == 422 and complaint in error["message"]
    assert error["type"] == "invalid_request_error"


@pytest.mark.parametrize("token", ["9" * 5000, "9" * 19, "\u00b2", "-1"])
def test_a_huge_or_odd_continuation_token_is_not_a_500(app, token):
    response = app.client.get("/chat_history/sessions", params={"continuationToken": token})
    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert "continuationToken" in response.json()["error"]


@pytest.mark.parametrize("name", ["a" * 300, "a" * 5000, f"{'b' * 200}/{'c' * 300}.png"])
def test_a_content_name_longer_than_the_file_system_allows_is_a_404(app, name):
    response = app.client.get(f"/content/{name}")
    assert "no such content" in assert_json_error(response, 404)


@pytest.mark.parametrize(
    ("image", "complaint"),
    [
        (data_url(SVG, "image/svg+xml"), "not a readable image"),
        (data_url(b"\x00garbage\xff" * 50), "not a readable image"),
        ("data:image/png;base64,@@@not-base64@@@", "base64"),
        ("data:image/png;base64,", "empty"),
    ],
)
@pytest.mark.parametrize("path", ["/chat", "/chat/stream"])
def test_an_unreadable_attached_image_is_a_400_before_any_streaming(app, image, complaint, path):
    response = app.client.post(path, json=with_image(image))
    assert complaint in assert_json_error(response, 400)


@pytest.mark.parametrize("path", ["/chat", "/chat/stream"])
def test_a_decompression_bomb_is_refused_before_any_streaming(app, path):
    response = app.client.post(path, json=with_image(data_url(png_claiming(100_000, 100_000))))
    assert "RIDGELINE_MAX_IMAGE_PIXELS" in assert_json_error(response, 413)
