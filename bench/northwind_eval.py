"""Ingest ../shared/data/northwind from scratch and run the northwind QA set against it.

Usage: python -m bench.northwind_eval [--data ../shared/data] [--out bench/out/northwind]
           [--mode hybrid] [--limit N]

Prints the ingestion figures (files, chunks, seconds) and the evaluation summary.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console

import ridgeline
from ridgeline.cli import evaluation
from ridgeline.settings import Settings


def _ingest(settings: Settings, corpus: Path) -> dict[str, float]:
    started = time.perf_counter()
    report = ridgeline.open(settings=settings).ingest([corpus])
    seconds = time.perf_counter() - started
    if report.failed:
        for failure in report.failed:
            print(f"failed: {failure.path}: {failure.error}", file=sys.stderr)
    return {
        "files": len(report.files),
        "failed": len(report.failed),
        "chunks": report.total_chunks,
        "seconds": round(seconds, 1),
        "chunks_per_s": round(report.total_chunks / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("bench/out/northwind"))
    parser.add_argument("--mode", default=None)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(index_dir=Path(tmp) / "index")
        ingestion = _ingest(settings, args.data / "northwind")
        print("ingestion:", json.dumps(ingestion))
        summary = evaluation.run_local(
            settings,
            dataset=args.data / "eval" / "northwind-qa.jsonl",
            out=args.out,
            mode=args.mode,
            limit=args.limit,
            console=Console(stderr=True),
        )
    print("evaluation:", summary.model_dump_json(indent=2))


if __name__ == "__main__":
    main()
