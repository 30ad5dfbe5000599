"""Weak point of issue 12: upload names that differed only in accents collapsed to one stored
name and overwrote each other silently; a very long name lost its suffix and got a misleading
415. Over the app on 127.0.0.1, with an API key (uploads need an identity)."""

import pytest

from chat.config import AppConfig
from chat.uploads import stored_name
from tests.chat.apps import running_app
from tests.security.http_fixtures import ALICE

pytestmark = pytest.mark.integration

AS_ALICE = {"Authorization": "Bearer k", **ALICE}


@pytest.fixture
def app(tmp_path):
    with running_app(tmp_path, config=AppConfig(api_key="k")) as running:
        yield running


def upload(app, name, text):
    files = {"file": (name, text.encode(), "text/plain")}
    return app.client.post("/upload", files=files, headers=AS_ALICE)


def test_names_that_differ_only_in_accents_are_two_files(app):
    names = ["résumé.txt", "rèsumè.txt", "resume.txt"]
    for number, name in enumerate(names):
        assert upload(app, name, f"Version {number} of the CV.").status_code == 200
    listed = app.client.get("/list_uploaded", headers=AS_ALICE).json()
    assert len(listed) == 3 and "résumé.txt" in listed
    folder = next((app.root / "uploads").iterdir())
    assert sorted(p.read_text() for p in folder.iterdir()) == [
        f"Version {n} of the CV." for n in range(3)
    ]


def test_composed_and_decomposed_accents_are_the_same_name(app):
    upload(app, "caf\u00e9.txt", "first")
    upload(app, "cafe\u0301.txt", "second")
    assert app.client.get("/list_uploaded", headers=AS_ALICE).json() == ["caf\u00e9.txt"]


def test_names_that_differ_in_replaced_characters_do_not_collide(app):
    assert upload(app, "plan?a.txt", "A").status_code == 200
    assert upload(app, "plan*a.txt", "B").status_code == 200
    assert len(app.client.get("/list_uploaded", headers=AS_ALICE).json()) == 2


@pytest.mark.parametrize("stem", ["n" * 300, "é" * 200, "x" * 1000])
def test_a_very_long_name_keeps_its_suffix_and_is_accepted(app, stem):
    response = upload(app, f"{stem}.txt", "Long names are fine.")
    assert response.status_code == 200, response.text
    [listed] = app.client.get("/list_uploaded", headers=AS_ALICE).json()
    assert listed.endswith(".txt") and len(listed.encode()) <= 150
    assert listed == stored_name(f"{stem}.txt")
    gone = app.client.post("/delete_uploaded", json={"filename": f"{stem}.txt"}, headers=AS_ALICE)
    assert gone.status_code == 200


def test_a_long_name_with_a_wrong_type_is_still_a_precise_415(app):
    response = upload(app, "y" * 400 + ".exe", "MZ")
    assert response.status_code == 415 and ".exe" in response.json()["error"]
