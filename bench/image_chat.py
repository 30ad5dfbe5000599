"""Query by image through ``POST /chat``: does an unseen product photo find its product?

Holds out ``--per-product`` photos of each Contoso product (random, fixed ``--seed``), writes a
copy of the catalog (``products.json`` with the other photos, and the 20 manuals) to a temporary
folder, ingests ``products.json`` and the manuals with the pipeline ``ridgeline ingest`` builds
(default settings: the default image embedder, OCR, offline captions, extractive answers), then
asks the real chat app in process (httpx over ASGI) each question with each held-out photo
attached as a ``data:`` URL.

A query counts as found when the first product cited in the response's data points
(``[products.json#id=N]``, in rank order) is the photo's product; the first product cited in
the answer text is reported too.

Usage: python -m bench.image_chat [--data ../shared/data] [--seed 15] [--per-product 2]
                                  [--question "Which product is this?" ...]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from ridgeline.cli import wiring
from ridgeline.settings import Settings

_PRODUCT = re.compile(r"products\.json#id=(\d+)")


@dataclass(frozen=True)
class HeldOut:
    product: str
    photo: Path


def write_catalog(source: Path, target: Path, *, seed: int, per_product: int) -> list[HeldOut]:
    """The catalog without the held-out photos in ``target``; the held-out photos."""
    rng = random.Random(seed)
    records = json.loads((source / "products.json").read_text(encoding="utf-8"))
    held: list[HeldOut] = []
    for record in records:
        photos = sorted(record["images"])
        out = set(rng.sample(photos, per_product))
        record["images"] = [p for p in photos if p not in out]
        held += [HeldOut(str(record["id"]), source / p) for p in sorted(out)]
        for kept in record["images"]:
            (target / kept).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / kept, target / kept)
    (target / "products.json").write_text(json.dumps(records), encoding="utf-8")
    shutil.copytree(source / "manuals", target / "manuals")
    return held


def data_url(photo: Path) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(photo.read_bytes()).decode("ascii")


def first_product(citations: list[str]) -> str | None:
    return next((m.group(1) for c in citations if (m := _PRODUCT.search(c))), None)


async def ask(client: httpx.AsyncClient, question: str, photo: Path) -> tuple[str | None, str]:
    """(first product of the data points, first product cited in the answer)."""
    content: list[dict[str, object]] = [
        {"type": "image_url", "image_url": {"url": data_url(photo)}}
    ]
    if question:
        content.insert(0, {"type": "text", "text": question})
    response = await client.post("/chat", json={"messages": [{"role": "user", "content": content}]})
    response.raise_for_status()
    body = response.json()
    cited = first_product(body["context"]["data_points"]["citations"])
    return cited, first_product([body["output_text"]]) or "-"


async def score(app: object, question: str, held: list[HeldOut]) -> tuple[float, float, float]:
    """top-1 of the data points, top-1 of the answer text, seconds per query."""
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    started = time.perf_counter()
    found = answered = 0
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for item in held:
            cited, in_text = await ask(client, question, item.photo)
            found += cited == item.product
            answered += in_text == item.product
    seconds = (time.perf_counter() - started) / len(held)
    return found / len(held), answered / len(held), seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--per-product", type=int, default=2)
    parser.add_argument("--question", action="append", default=None)
    args = parser.parse_args()
    questions = args.question or ["Which product is this?", "Do you have something like this?"]
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Path(tmp) / "catalog"
        held = write_catalog(
            args.data / "contoso-outdoor", catalog, seed=args.seed, per_product=args.per_product
        )
        settings = Settings(index_dir=Path(tmp) / "index")
        index = wiring.build_index(settings)
        started = time.perf_counter()
        # The catalog and the manuals; the photos only as the catalog's (not as image files).
        report = wiring.build_pipeline(settings, index).run(
            [catalog / "products.json", catalog / "manuals"]
        )
        for failure in report.failed:
            print(f"failed: {failure.source}: {failure.error}")
        print(
            f"ingested {len(report.files)} files in {time.perf_counter() - started:.0f} s; "
            f"{len(held)} held-out photos (seed {args.seed}, {args.per_product} per product)"
        )
        app = wiring.build_chat_app(settings, index)
        for question in questions:
            top1, in_text, seconds = asyncio.run(score(app, question, held))
            print(
                f"{question!r:40s} first cited product top-1 {top1:.2f}, "
                f"first product in the answer {in_text:.2f} ({seconds:.1f} s per query)"
            )


if __name__ == "__main__":
    main()
