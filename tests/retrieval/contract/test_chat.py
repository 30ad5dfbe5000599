"""Contract: the whole chat service, as ``ridgeline serve`` wires it, over each backend.

The app of ``wiring.build_chat_app`` on a real uvicorn server answers ``POST /chat`` and
``POST /chat/stream`` with a cited answer from a catalog ingested by the real pipeline, and an
upload is answered for its owner only. The text embedder is the fast hashing one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from ridgeline.cli import wiring
from ridgeline.plugins.registry import plugin_registry
from ridgeline.settings import Settings
from tests.fakes import HashingEmbedder
from tests.retrieval.contract.backends import new_index
from tests.servers import serve_in_thread

pytestmark = pytest.mark.integration

CATALOG = """id,name,price,category,brand,description
1,TrailMaster X4 Tent,250.0,Tents,OutdoorLiving,A four person tent with a rainfly and mesh panels.
2,Adventurer Pro Backpack,90.0,Backpacks,HikeMate,A 40 litre backpack with padded straps.
3,Summit Breeze Jacket,120.0,Jackets,MountainStyle,A light windproof jacket for ridges.
"""
QUESTION = "What is the price of the TrailMaster X4 Tent?"
DIM = 384


@pytest.fixture(scope="module")
def client(
    backend: str,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp(f"chat-{backend}")
    service = request.getfixturevalue("search_service") if backend == "azure" else None
    with plugin_registry().scoped() as plugins:
        plugins.text_embedders.register(
            "contract-hashing", lambda s: HashingEmbedder(dimension=DIM)
        )
        settings = Settings(
            index_dir=root / "index",
            chat_data_dir=root / "chat",
            image_embedder="none",
            text_embedder="contract-hashing",
            allow_anonymous_uploads=True,  # the upload story below sends a user header, no key
        )
        index = new_index(
            backend,
            directory=settings.index_dir,
            service=service,
            dimension=DIM,
            image_dimension=None,
        )
        docs = root / "docs"
        docs.mkdir()
        (docs / "products.csv").write_text(CATALOG)
        wiring.build_pipeline(settings, index).run([docs])
        app = wiring.build_chat_app(settings, index)
        with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url, timeout=60) as c:
            yield c


def _ask(question: str) -> dict[str, object]:
    return {"messages": [{"role": "user", "content": question}]}


def test_chat_answers_with_a_cited_price(client: httpx.Client) -> None:
    response = client.post("/chat", json=_ask(QUESTION))
    assert response.status_code == 200
    answer = response.json()
    assert "250" in answer["output_text"]
    assert "[products.csv#id=1]" in answer["output_text"]
    assert "products.csv#id=1" in answer["context"]["data_points"]["citations"]


def test_the_stream_carries_the_context_and_the_cited_answer(client: httpx.Client) -> None:
    with client.stream("POST", "/chat/stream", json=_ask(QUESTION)) as response:
        assert response.status_code == 200
        events = [json.loads(line) for line in response.iter_lines() if line]
    assert events[0]["type"] == "response.context"
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert "250" in text and "[products.csv#id=1]" in text


def test_an_upload_is_answered_for_its_owner_only(client: httpx.Client) -> None:
    alice, bob = {"X-Ridgeline-User": "alice"}, {"X-Ridgeline-User": "bob"}
    note = ("secret.txt", b"The secret campsite is at Lake Ombra.", "text/plain")
    assert client.post("/upload", files={"file": note}, headers=alice).status_code == 200
    question = _ask("Where is the secret campsite?")
    mine = client.post("/chat", json=question, headers=alice).json()
    theirs = client.post("/chat", json=question, headers=bob).json()
    assert "Lake Ombra" in mine["output_text"] and "[secret.txt" in mine["output_text"]
    assert "Lake Ombra" not in theirs["output_text"]
    assert not any("secret.txt" in c for c in theirs["context"]["data_points"]["citations"])


def test_a_category_named_in_the_question_narrows_through_the_facets(client: httpx.Client) -> None:
    answer = client.post("/chat", json=_ask("Which jackets do you have?")).json()
    thoughts = {t["title"]: t for t in answer["context"]["thoughts"]}
    search = next(t for title, t in thoughts.items() if "earch" in title)
    assert search["props"]["filters"].get("include_category") == "Jackets"
    assert answer["context"]["data_points"]["citations"][0] == "products.csv#id=3"


def test_a_question_with_a_photo_is_answered(client: httpx.Client) -> None:
    # The photo's ranking is weighted (RIDGELINE_IMAGE_QUERY_WEIGHT) through every retriever layer,
    # the multi-part one included; this index has no image vectors, so the words decide.
    png = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8Dw"
        "HwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    )
    content = [
        {"type": "text", "text": "Do you have a tent like this?"},
        {"type": "image_url", "image_url": {"url": png}},
    ]
    response = client.post("/chat", json={"messages": [{"role": "user", "content": content}]})
    assert response.status_code == 200, response.text
    assert "products.csv#id=1" in response.json()["context"]["data_points"]["citations"]
