"""GET /content on a real uvicorn server: cited files and figures, and nothing else."""

import socket

import pytest

from tests.chat.apps import running_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("content")) as running:
        yield running


def test_a_cited_pdf_is_served_inline_with_its_type(app):
    response = app.client.get("/content/manual.pdf#page=4")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_an_extracted_figure_is_served(app):
    response = app.client.get(f"/content/{app.figure}")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"


def test_a_catalog_row_citation_opens_as_that_row(app):
    row = app.client.get("/content/products.csv", params={"id": "7"})
    assert row.status_code == 200 and row.headers["content-type"].startswith("text/html")
    assert "script-src" not in row.headers["content-security-policy"]
    assert "TrailMaster X4 Tent" in row.text and "Lantern" not in row.text
    # Browsers drop "#id=8" from the request: the page has every row, each anchored by its
    # citation's fragment, and its style shows the targeted one alone; cells are escaped.
    page = app.client.get("/content/products.csv#id=8").text
    assert 'id="id=7"' in page and 'id="id=8"' in page
    assert "&lt;b&gt;Lantern&lt;/b&gt; &amp; Co" in page and "<b>" not in page
    assert "tr:not(:target){display:none}" in page
    raw = app.client.get("/content/products.csv", params={"raw": "true"})
    assert raw.text.startswith("id,name,price")


def test_an_unknown_catalog_row_is_a_404(app):
    response = app.client.get("/content/products.csv", params={"id": "99"})
    assert response.status_code == 404 and "id '99'" in response.json()["error"]


def raw_get(base_url: str, target: str) -> bytes:
    """Send the request line exactly as written (clients would normalise the dots away)."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as conn:
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
    return data


@pytest.mark.parametrize(
    "target",
    [
        "/content/../secret.txt",
        "/content/manual-1a2b/../../secret.txt",
        "/content/..%2F..%2Fsecret.txt",
        "/content/manual-1a2b%2F..%2F..%2Fsecret.txt",
        "/content/%2Fetc%2Fpasswd",
        "//content//etc/passwd",
        "/content/%5C..%5Csecret.txt",
        "/content/secret.txt",
    ],
)
def test_traversal_attempts_get_no_file(app, target):
    reply = raw_get(app.base_url, target)
    status = reply.split(b"\r\n", 1)[0]
    assert b" 200 " not in status, status
    assert b"top secret" not in reply and b"root:" not in reply
