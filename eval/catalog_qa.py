"""A catalog QA set written from a product CSV, and its fact score.

Each row is an ordinary eval row (``question``, ``truth`` with its citation) plus ``kind``,
``must_contain`` (every string must appear in a correct answer, case-insensitive) and, for
recommendations, ``allowed`` (the only product names a correct answer may recommend). The
questions are computed from the whole catalog, not from what retrieval finds, so the score is
honest about superlatives over products the search did not return.

Usage::

    python -m eval.catalog_qa write examples/catalog/products.csv eval/sets/demo-catalog-qa.jsonl
    python -m eval.catalog_qa score eval/sets/demo-catalog-qa.jsonl --index DIR --half test
"""

from __future__ import annotations

import argparse
import base64
import csv
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ridgeline.attributes import extract_attributes, first_value

SPLIT_SEED = 13
_SUPERLATIVES = (
    ("weight", "min", "lightest"),
    ("price", "min", "cheapest"),
    ("price", "max", "most expensive"),
)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row.get("name")]


def _cite(row: dict[str, str], csv_name: str) -> str:
    return f"[{csv_name}#id={row['id']}]"


def _price(row: dict[str, str]) -> str:
    return f"${float(row['price']):,.2f}"


def _value(row: dict[str, str], attribute: str) -> float | None:
    if attribute == "price":
        return float(row["price"])
    found = first_value(extract_attributes(row.get("description", "")), attribute)
    return float(found.value) if found else None


def questions(path: Path) -> Iterator[dict[str, Any]]:
    rows, name = _rows(path), path.name
    for row in rows:
        yield {
            "kind": "lookup",
            "question": f"How much does the {row['name']} cost?",
            "truth": f"The {row['name']} costs {_price(row)}. {_cite(row, name)}",
            "must_contain": [_price(row)],
        }
        weight = first_value(extract_attributes(row.get("description", "")), "weight")
        if weight:
            yield {
                "kind": "lookup",
                "question": f"How much does the {row['name']} weigh?",
                "truth": f"{weight.sentence} {_cite(row, name)}",
                "must_contain": [weight.text],
            }
    yield from _image_questions(rows, name)
    categories = sorted({row["category"] for row in rows})
    for category in categories:
        members = [row for row in rows if row["category"] == category]
        noun = category.lower().rstrip("s") if category.endswith("s") else category.lower()
        yield from _superlatives(members, noun, name)
        yield from _recommendations(members, noun, name)


def _superlatives(members: list[dict[str, str]], noun: str, name: str) -> Iterator[dict[str, Any]]:
    for attribute, direction, word in _SUPERLATIVES:
        valued = [(row, v) for row in members if (v := _value(row, attribute)) is not None]
        if len(valued) < 2:
            continue
        best = sorted(valued, key=lambda rv: rv[1], reverse=direction == "max")[0][0]
        yield {
            "kind": "superlative",
            "question": f"Which is the {word} {noun}?",
            "truth": f"The {best['name']}. {_cite(best, name)}",
            "must_contain": [best["name"]],
        }


def _recommendations(
    members: list[dict[str, str]], noun: str, name: str
) -> Iterator[dict[str, Any]]:
    prices = sorted(float(row["price"]) for row in members)
    for budget in {round(prices[0] + 1), round(prices[-1] + 1), max(1, round(prices[0] - 5))}:
        allowed = [row["name"] for row in members if float(row["price"]) <= budget]
        truth = f"{', '.join(allowed)}." if allowed else "None fits; names the closest."
        yield {
            "kind": "recommend",
            "question": f"Do you have a {noun} under ${budget}?",
            "truth": truth,
            "must_contain": allowed[:1] or ["none"],
            "allowed": allowed,
            "category_members": [row["name"] for row in members],
        }


def _image_questions(rows: list[dict[str, str]], name: str) -> Iterator[dict[str, Any]]:
    """A product's own picture: "which product is this?" and "one like this under $X"."""
    for row in rows:
        if not row.get("image"):
            continue
        yield {
            "kind": "identify",
            "question": "Which product is this?",
            "image": row["image"],
            "truth": f"The {row['name']}. {_cite(row, name)}",
            "must_contain": [row["name"]],
        }
        budget = round(float(row["price"]) + 20)
        allowed = [
            r["name"]
            for r in rows
            if r["category"] == row["category"] and float(r["price"]) <= budget
        ]
        yield {
            "kind": "recommend",
            "question": f"Do you have one like this under ${budget}?",
            "image": row["image"],
            "truth": f"{', '.join(allowed)}.",
            "must_contain": [row["name"]],
            "allowed": allowed,
            "category_members": [r["name"] for r in rows if r["category"] == row["category"]],
        }


def split(rows: list[dict[str, Any]], half: str) -> list[dict[str, Any]]:
    """The ``tune`` or ``test`` half, by a fixed seed."""
    order = list(range(len(rows)))
    random.Random(SPLIT_SEED).shuffle(order)
    chosen = set(order[: len(rows) // 2]) if half == "tune" else set(order[len(rows) // 2 :])
    return [row for index, row in enumerate(rows) if half == "all" or index in chosen]


def score_row(row: dict[str, Any], answer: str, catalog_names: list[str]) -> dict[str, Any]:
    lowered = answer.lower()
    carried = all(part.lower() in lowered for part in row["must_contain"])
    result: dict[str, Any] = {"carried": carried}
    if row["kind"] == "recommend":
        recommended = [n for n in catalog_names if n.lower() in lowered]
        said_none = "none of the" in lowered
        offenders = [n for n in recommended if n not in row["allowed"]] if not said_none else []
        result["only_allowed"] = not offenders
        if not row["allowed"]:
            result["carried"] = said_none or "don't know" in lowered
    return result


def _ask(library: Any, row: dict[str, Any], corpus: Path | None) -> str:
    """The answer, with the row's image attached as a data URL when it has one."""
    from chat.protocol import ChatRequest

    if not row.get("image"):
        return str(library.ask(row["question"]).output_text)
    if corpus is None:
        raise SystemExit("an image question needs --corpus (the folder its image paths are in)")
    data = base64.b64encode((corpus / row["image"]).read_bytes()).decode()
    content = [
        {"type": "text", "text": row["question"]},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}},
    ]
    request = ChatRequest.model_validate({"messages": [{"role": "user", "content": content}]})
    return str(library.chat_service.chat(request).output_text)


def _score(args: argparse.Namespace) -> None:
    from ridgeline.library import open_index

    rows = [json.loads(line) for line in Path(args.dataset).read_text().splitlines() if line]
    rows = split(rows, args.half)
    names = sorted(
        {n for r in rows for n in r.get("category_members", [])}
        | {r["must_contain"][0] for r in rows if r["kind"] == "superlative"},
        key=len,
        reverse=True,
    )
    library = open_index(args.index)
    results = []
    for row in rows:
        answer = _ask(library, row, Path(args.corpus) if args.corpus else None)
        scored = score_row(row, answer, names)
        results.append({**row, "answer": answer, **scored})
    Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in results))
    by_kind: dict[str, list[bool]] = {}
    for r in results:
        by_kind.setdefault(r["kind"], []).append(r["carried"])
    recs = [r["only_allowed"] for r in results if "only_allowed" in r]
    print(
        json.dumps(
            {
                "n": len(results),
                "carried": round(sum(r["carried"] for r in results) / len(results), 3),
                "by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in by_kind.items()},
                "recommendations_only_allowed": f"{sum(recs)}/{len(recs)}",
            }
        )
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m eval.catalog_qa")
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write")
    write.add_argument("csv")
    write.add_argument("out")
    score = commands.add_parser("score")
    score.add_argument("dataset")
    score.add_argument("--index", required=True)
    score.add_argument("--half", choices=["tune", "test", "all"], default="test")
    score.add_argument("--out", default="catalog-qa-results.jsonl")
    score.add_argument("--corpus", help="the folder the CSV's image paths are relative to")
    args = parser.parse_args(argv)
    if args.command == "write":
        rows = list(questions(Path(args.csv)))
        Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows))
        print(f"{len(rows)} questions -> {args.out}", file=sys.stderr)
    else:
        _score(args)


if __name__ == "__main__":
    main()
