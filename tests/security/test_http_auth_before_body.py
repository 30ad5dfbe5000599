"""Weak point of issue 12: a body sent without a length (chunked) was read up to the body limit
before the API key was checked (32 unauthenticated 19 MiB uploads: +640 MB). The key is now
checked first: a request without it is answered at once, while its body is still coming."""

import pytest

from chat.config import AppConfig
from tests.chat.apps import running_app
from tests.security.http_fixtures import raw_exchange, status_of

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    config = AppConfig(api_key="s3cret", max_request_bytes=1 << 20)
    with running_app(tmp_path_factory.mktemp("auth-first"), config=config) as running:
        yield running


def chunked_start(path: str, headers: str = "") -> bytes:
    """Headers of a chunked POST and its first chunk; the rest of the body never comes."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Transfer-Encoding: chunked\r\n{headers}\r\n"
    )
    first = b'{"messages": [{"role": "user", "content": "'
    return head.encode() + b"%x\r\n" % len(first) + first + b"\r\n"


@pytest.mark.parametrize("path", ["/chat", "/upload", "/v1/chat/completions"])
def test_no_key_is_answered_before_the_body_ends(app, path):
    reply = raw_exchange(app.base_url, chunked_start(path), wait_s=3)
    assert status_of(reply) == 401, reply[:200]
    assert b"API key" in reply


def test_with_the_key_the_server_waits_for_the_body(app):
    """The counterpart: an authorised unfinished body gets no answer yet (it is being read)."""
    reply = raw_exchange(
        app.base_url, chunked_start("/chat", "Authorization: Bearer s3cret\r\n"), wait_s=1
    )
    assert reply == b""
