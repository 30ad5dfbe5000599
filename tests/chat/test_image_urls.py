"""Issue 15 part 3: every image a response names is a URL this server serves (``/content/...``),
never a server path, also for catalog photos kept outside the index folder; ``/content`` serves
each one only to users who may read its document. Over the app ``ridgeline serve`` builds: real
ingestion of a catalog with Pillow-drawn photos, LanceDB on disk, uvicorn on 127.0.0.1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import httpx
import pytest
from PIL import Image

from ridgeline.cli import wiring
from ridgeline.settings import Settings
from tests.security.http_fixtures import ALICE, BOB, ask
from tests.servers import serve_in_thread

pytestmark = pytest.mark.integration


def photo(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (48, 36), colour).save(path)


def write_shop(folder: Path) -> Path:
    """A catalog whose photos lie beside it, far from the index folder."""
    photo(folder / "images" / "1" / "1.jpg", (200, 40, 40))
    photo(folder / "images" / "2" / "front view.png", (40, 40, 200))
    catalog = folder / "products.csv"
    catalog.write_text(
        "id,name,description,price,image\n"
        "1,Ember Lantern,A red camping lantern,30,images/1/1.jpg\n"
        "2,Glacier Bottle,A blue steel bottle,25,images/2/front view.png\n",
        encoding="utf-8",
    )
    return catalog


def images_named(body: dict[str, object]) -> list[str]:
    context = body["context"]
    assert isinstance(context, dict)
    images = context["data_points"]["images"]
    assert isinstance(images, list)
    return images


def assert_no_server_path(body: dict[str, object], *roots: Path) -> None:
    text = json.dumps(body)
    for root in roots:
        assert str(root) not in text
    for image in images_named(body):
        assert image.startswith(("/content/", "data:image/")), image


@pytest.fixture
def served(tmp_path: Path, hashing_plugin: str):  # type: ignore[no-untyped-def]
    shop = tmp_path / "srv" / "shop"
    write_shop(shop)
    settings = Settings(
        index_dir=tmp_path / "data" / "index",
        chat_data_dir=tmp_path / "data" / "chat",
        image_embedder="none",
        text_embedder=hashing_plugin,
        allow_anonymous_uploads=True,
    )
    index = wiring.build_index(settings)
    report = wiring.build_pipeline(settings, index).run([shop / "products.csv"])
    assert not report.failed
    app = wiring.build_chat_app(settings, index)
    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url, timeout=60) as client:
        yield client, tmp_path


def test_catalog_photos_outside_the_index_are_named_by_content_urls(served) -> None:  # type: ignore[no-untyped-def]
    client, root = served
    response = client.post("/chat", json=ask("Do you have a camping lantern or a bottle?"))
    assert response.status_code == 200
    body = response.json()
    assert_no_server_path(body, root)
    images = images_named(body)
    assert "/content/products.csv/images/1/1.jpg" in images
    assert "/content/products.csv/images/2/front%20view.png" in images
    for url in images:
        served_image = client.get(url)
        assert served_image.status_code == 200, url
        assert served_image.headers["content-type"].startswith("image/")
        Image.open(io.BytesIO(served_image.content)).verify()


def test_the_stream_names_content_urls_too(served) -> None:  # type: ignore[no-untyped-def]
    client, root = served
    response = client.post("/chat/stream", json=ask("Which lantern do you sell?"))
    assert response.status_code == 200
    events = [json.loads(line) for line in response.text.splitlines() if line.strip()]
    contexts = [e for e in events if e.get("type") == "response.context"]
    assert contexts and images_named(contexts[0])
    for event in contexts:
        assert_no_server_path(event, root)


def test_a_private_uploads_photo_is_served_to_its_owner_only(served) -> None:  # type: ignore[no-untyped-def]
    client, root = served
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 160, 60)).save(buffer, format="PNG")
    files = {"file": ("greenhouse.png", buffer.getvalue(), "image/png")}
    assert client.post("/upload", files=files, headers=ALICE).status_code == 200
    answer = client.post("/chat", json=ask("greenhouse.png"), headers=ALICE).json()
    assert_no_server_path(answer, root)
    mine = [url for url in images_named(answer) if "greenhouse" in url]
    assert mine, images_named(answer)
    for url in mine:
        owner = client.get(url, headers=ALICE)
        assert owner.status_code == 200 and owner.headers["content-type"] == "image/png"
        assert client.get(url, headers=BOB).status_code == 404
    # Bob's own answer does not name Alice's photo at all.
    assert not [
        u
        for u in images_named(client.post("/chat", json=ask("greenhouse.png"), headers=BOB).json())
        if "greenhouse" in u
    ]


def test_a_path_climbing_out_of_the_catalogs_folder_is_not_served(served) -> None:  # type: ignore[no-untyped-def]
    client, root = served
    (root / "srv" / "secret.png").write_bytes(
        (root / "srv" / "shop" / "images" / "1" / "1.jpg").read_bytes()
    )
    for name in (
        "products.csv/../secret.png",
        "products.csv/%2E%2E/secret.png",
        "products.csv/products.csv",
    ):
        assert client.get(f"/content/{name}").status_code == 404, name
