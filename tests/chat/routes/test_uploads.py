"""Per-user uploads on a real uvicorn server: type checks, isolation, and search scoping."""

import pytest

from tests.chat.apps import running_app

pytestmark = pytest.mark.integration

ALICE = {"X-Ridgeline-User": "alice"}
BOB = {"X-Ridgeline-User": "bob"}


def ask(question):
    return {"messages": [{"role": "user", "content": question}]}


def test_an_upload_is_searchable_by_its_owner_only(tmp_path):
    with running_app(tmp_path) as app:
        files = {"file": ("tarp.txt", b"The Ridge tarp weighs 400 grams.", "text/plain")}
        response = app.client.post("/upload", files=files, headers=ALICE)
        assert response.status_code == 200, response.text
        assert app.client.get("/list_uploaded", headers=ALICE).json() == ["tarp.txt"]
        assert app.client.get("/list_uploaded", headers=BOB).json() == []
        question = ask("How much does the Ridge tarp weigh?")
        alice = app.client.post("/chat", json=question, headers=ALICE).json()
        bob = app.client.post("/chat", json=question, headers=BOB).json()
        assert "[tarp.txt]" in alice["output_text"]
        assert "tarp.txt" not in bob["context"]["data_points"]["citations"]
        assert app.client.get("/content/tarp.txt", headers=BOB).status_code == 404
        assert app.client.get("/content/tarp.txt", headers=ALICE).status_code == 200


def test_deleting_an_upload_takes_it_out_of_the_answers(tmp_path):
    with running_app(tmp_path) as app:
        files = {"file": ("tarp.txt", b"The Ridge tarp weighs 400 grams.", "text/plain")}
        app.client.post("/upload", files=files, headers=ALICE)
        gone = app.client.post("/delete_uploaded", json={"filename": "tarp.txt"}, headers=BOB)
        assert gone.status_code == 404
        response = app.client.post("/delete_uploaded", json={"filename": "tarp.txt"}, headers=ALICE)
        assert response.status_code == 200
        assert app.client.get("/list_uploaded", headers=ALICE).json() == []


def test_a_wrong_type_is_a_415_and_a_big_file_a_413(tmp_path):
    from chat.config import AppConfig

    with running_app(
        tmp_path, config=AppConfig(max_upload_bytes=1000, allow_anonymous_uploads=True)
    ) as app:
        exe = app.client.post("/upload", files={"file": ("x.exe", b"MZ", "application/x")})
        assert exe.status_code == 415 and "unsupported file type" in exe.json()["error"]
        fake = app.client.post("/upload", files={"file": ("x.pdf", b"hello", "application/pdf")})
        assert fake.status_code == 415
        big = app.client.post("/upload", files={"file": ("big.txt", b"a" * 5000, "text/plain")})
        assert big.status_code == 413 and "limit" in big.json()["error"]
