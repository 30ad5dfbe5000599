"""The app ``ridgeline serve`` builds (wiring.build_chat_app): real LanceDB on disk, the real
ingestion pipeline, a real uvicorn server; uploads stay private to their owner. The text
embedder is the fast hashing one, registered as a plugin (the real model is not what this test
is about)."""

import httpx
import pytest

from ridgeline.cli import wiring
from ridgeline.settings import Settings
from tests.servers import serve_in_thread

pytestmark = pytest.mark.integration


def test_served_app_answers_from_the_index_and_keeps_uploads_private(tmp_path, hashing_plugin):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "policies.md").write_text("# Returns\n\nReturns are accepted within 30 days.\n")
    settings = Settings(
        index_dir=tmp_path / "index",
        chat_data_dir=tmp_path / "chat",
        text_embedder=hashing_plugin,
        allow_anonymous_uploads=True,
    )
    index = wiring.build_index(settings)
    wiring.build_pipeline(settings, index).run([docs])
    app = wiring.build_chat_app(settings, index)
    alice, bob = {"X-Ridgeline-User": "alice"}, {"X-Ridgeline-User": "bob"}
    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url, timeout=60) as client:
        asked = {"messages": [{"role": "user", "content": "How long do I have for returns?"}]}
        answer = client.post("/chat", json=asked).json()
        assert "[policies.md" in answer["output_text"]
        assert client.get("/content/policies.md").status_code == 200

        note = b"The secret campsite is at Lake Ombra."
        files = {"file": ("secret.txt", note, "text/plain")}
        assert client.post("/upload", files=files, headers=alice).status_code == 200
        question = {"messages": [{"role": "user", "content": "Where is the secret campsite?"}]}
        mine = client.post("/chat", json=question, headers=alice).json()
        theirs = client.post("/chat", json=question, headers=bob).json()
        assert "Lake Ombra" in mine["output_text"]
        assert "secret.txt" not in theirs["context"]["data_points"]["citations"]
        assert "Lake Ombra" not in theirs["output_text"]
