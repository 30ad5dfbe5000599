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

The image ranking's weight in the fusion (RIDGELINE_IMAGE_QUERY_WEIGHT) is chosen honestly: the
held-out photos are split (``--split-seed``) into a tuning half and a report half; each weight of
``--weights`` is scored on the first question, the best top-1 on the tuning half alone picks the
weight (ties: the one closest to 1.0), and the report half and the full set are reported for it
and for 1.0 (equal weights), with every question.

Usage: python -m bench.image_chat [--data ../shared/data] [--seed 15] [--per-product 2]
                                  [--split-seed 1515] [--weights 1,1.5,2,3,4,6]
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


@dataclass(frozen=True)
class Outcome:
    """One query's result: first cited product right, first product in the answer right."""

    found: bool
    in_text: bool


async def outcomes(app: object, question: str, held: list[HeldOut]) -> list[Outcome]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    results = []
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for item in held:
            cited, in_text = await ask(client, question, item.photo)
            results.append(Outcome(cited == item.product, in_text == item.product))
    return results


def split(held: list[HeldOut], *, seed: int) -> tuple[set[int], set[int]]:
    """Positions of the tuning half and of the report half (a fixed shuffle)."""
    order = list(range(len(held)))
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    return set(order[:half]), set(order[half:])


def top1(results: list[Outcome], part: set[int] | None = None) -> tuple[float, int, int]:
    kept = [r for i, r in enumerate(results) if part is None or i in part]
    found = sum(r.found for r in kept)
    return found / len(kept), found, len(kept)


def choose(tuning_scores: dict[float, float]) -> float:
    """The weight with the best tuning top-1; ties go to the weight closest to 1.0."""
    return min(tuning_scores, key=lambda w: (-tuning_scores[w], abs(w - 1.0)))


def _line(label: str, results: list[Outcome], tuning: set[int], report: set[int]) -> str:
    cells = []
    for name, part in (("tuning", tuning), ("report", report), ("all", None)):
        value, found, total = top1(results, part)
        cells.append(f"{name} {value:.2f} ({found}/{total})")
    in_text = sum(r.in_text for r in results) / len(results)
    return f"{label:60s} " + ", ".join(cells) + f"; in the answer {in_text:.2f}"


def _app_with_weight(settings: Settings, index: object, weight: float) -> object:
    return wiring.build_chat_app(
        settings.model_copy(update={"image_query_weight": weight}),
        index,  # type: ignore[arg-type]
    )


def tune_and_report(
    settings: Settings, index: object, held: list[HeldOut], args: argparse.Namespace
) -> None:
    questions = args.question or ["Which product is this?", "Do you have something like this?"]
    tuning, report = split(held, seed=args.split_seed)
    first = questions[0]
    by_weight: dict[float, list[Outcome]] = {}
    for weight in args.weights:
        started = time.perf_counter()
        by_weight[weight] = asyncio.run(
            outcomes(_app_with_weight(settings, index, weight), first, held)
        )
        seconds = (time.perf_counter() - started) / len(held)
        print(
            f"weight {weight:g}: tuning top-1 {top1(by_weight[weight], tuning)[0]:.2f} "
            f"({seconds:.1f} s per query)"
        )
    chosen = choose({w: top1(r, tuning)[0] for w, r in by_weight.items()})
    print(
        f"chosen on the tuning half ({len(tuning)} photos, split seed {args.split_seed}): "
        f"image weight {chosen:g}"
    )
    for weight in dict.fromkeys([1.0, chosen]):
        for question in questions:
            results = by_weight.get(weight) if question == first else None
            if results is None:
                app = _app_with_weight(settings, index, weight)
                results = asyncio.run(outcomes(app, question, held))
            print(_line(f"weight {weight:g}, {question!r}", results, tuning, report))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--per-product", type=int, default=2)
    parser.add_argument("--split-seed", type=int, default=1515)
    parser.add_argument(
        "--weights",
        type=lambda text: [float(w) for w in text.split(",")],
        default=[1.0, 1.5, 2.0, 3.0, 4.0, 6.0],
    )
    parser.add_argument("--question", action="append", default=None)
    args = parser.parse_args()
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
        tune_and_report(settings, index, held, args)


if __name__ == "__main__":
    main()
