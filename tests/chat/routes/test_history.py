"""Chat history routes on a real uvicorn server, per user."""

import pytest

from tests.chat.apps import running_app

pytestmark = pytest.mark.integration


def test_a_session_is_saved_listed_read_and_deleted_by_its_user_only(tmp_path):
    alice, bob = {"X-Ridgeline-User": "alice"}, {"X-Ridgeline-User": "bob"}
    with running_app(tmp_path) as app:
        body = {"id": "s1", "answers": [["Tent price?", {"output_text": "$250."}]]}
        assert app.client.post("/chat_history", json=body, headers=alice).status_code == 201
        listed = app.client.get("/chat_history/sessions", headers=alice).json()
        assert [(s["id"], s["title"]) for s in listed["sessions"]] == [("s1", "Tent price?")]
        assert app.client.get("/chat_history/sessions", headers=bob).json()["sessions"] == []
        assert app.client.get("/chat_history/sessions/s1", headers=bob).status_code == 404
        session = app.client.get("/chat_history/sessions/s1", headers=alice).json()
        assert session["answers"] == body["answers"]
        assert app.client.delete("/chat_history/sessions/s1", headers=bob).status_code == 404
        assert app.client.delete("/chat_history/sessions/s1", headers=alice).status_code == 204
        assert app.client.get("/chat_history/sessions/s1", headers=alice).status_code == 404
