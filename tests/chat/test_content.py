import os
from pathlib import Path

import pytest

from chat.content import ContentStore
from ingestion.parsers.assets import asset_folder
from ridgeline.types import SourceDocument


@pytest.fixture
def layout(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "handbook.pdf").write_bytes(b"%PDF-1.4 handbook")
    assets = asset_folder(tmp_path / "index" / "assets", docs / "handbook.pdf")
    assets.mkdir(parents=True)
    (assets / "figure1_1.png").write_bytes(b"\x89PNG figure")
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    os.symlink(secret, assets / "escape.png")
    document = SourceDocument(
        document_id="d1",
        path=(docs / "handbook.pdf").resolve(),
        source="handbook.pdf",
        content_hash="h",
        size_bytes=17,
    )
    store = ContentStore(documents=lambda: [document], assets_dir=tmp_path / "index" / "assets")
    return store, tmp_path


def folder_of(root):
    """The handbook's assets folder name, as ingestion names it."""
    return asset_folder(root / "index" / "assets", root / "docs" / "handbook.pdf").name


def test_a_cited_document_resolves_by_its_citation_name_without_the_anchor(layout):
    store, root = layout
    assert store.resolve("handbook.pdf#page=3") == root / "docs" / "handbook.pdf"


def test_an_extracted_image_resolves_inside_the_assets_folder(layout):
    store, root = layout
    path = store.resolve(f"{folder_of(root)}/figure1_1.png")
    assert path == (root / "index" / "assets" / folder_of(root) / "figure1_1.png").resolve()


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "{folder}/../../../secret.txt",
        "/etc/passwd",
        "{folder}\\..\\..\\secret.txt",
        "{folder}/escape.png",  # a symlink pointing out of the assets folder
        "secret.txt",
        "nothing.pdf",
        "",
    ],
)
def test_names_outside_the_allowed_roots_resolve_to_nothing(layout, name):
    store, root = layout
    assert store.resolve(name.format(folder=folder_of(root))) is None


def test_a_stored_image_path_gets_its_url_under_content(layout):
    store, root = layout
    stored = str(root / "index" / "assets" / folder_of(root) / "figure1_1.png")
    assert store.image_url(stored, "handbook.pdf") == f"/content/{folder_of(root)}/figure1_1.png"
    # Neither in the assets nor beside its document: left out, never named by its path.
    assert store.image_url("/elsewhere/x.png", "handbook.pdf") is None
    assert store.image_url("/elsewhere/x.png", "nothing.pdf") is None


def test_a_document_the_user_may_not_read_is_not_served(layout):
    store, root = layout
    private = ContentStore(
        documents=store._documents, may_read=lambda document, user: user == "alice"
    )
    assert private.resolve("handbook.pdf", user="bob") is None
    assert private.resolve("handbook.pdf", user="alice") == Path(root / "docs" / "handbook.pdf")
