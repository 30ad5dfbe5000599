"""Ingestion on one process vs the Ray engine on a local cluster, and Ray's cost per file.

Usage: python -m bench.ingest_ray [FOLDER ...] [--cpus 2]   (from the repository root)

Each engine ingests ``../shared/data/northwind`` and ``../shared/data/contoso-outdoor`` (or the
given folders) from scratch into a fresh temporary index, in its own child process, with the
same settings as ``ridgeline ingest`` (real minilm embedder, OCR, captions, image vectors; the
model loads inside the timed run for both). Printed per engine: wall time, seconds per stage
(from the run's report: for Ray these are worker seconds, summed over files), chunks/s and the
peak resident memory of the process and all its children (sampled every 0.2 s: for Ray the
driver, raylet, GCS and workers). Then Ray's scheduling cost per file, measured apart: tasks
that do nothing but carry a plan out and a prepared file of ``--chunks`` chunks back.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import psutil

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CORPORA = (DATA / "northwind", DATA / "contoso-outdoor")


class PeakMemory:
    """The largest summed RSS of this process and its descendants, sampled in a thread."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.peak = 0
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            time.sleep(self._interval)


def run_engine(engine: str, folders: list[Path], cpus: int) -> dict[str, Any]:
    """One from-scratch run of ``engine`` in this process; its figures as a dict."""
    from ridgeline.cli import wiring
    from ridgeline.settings import Settings

    with tempfile.TemporaryDirectory(prefix="ridgeline-bench-ray-") as scratch:
        settings = Settings(index_dir=Path(scratch) / "index", ingest_engine=engine)  # type: ignore[arg-type]
        with PeakMemory() as memory:
            cluster_s = 0.0
            if engine == "ray":
                import ray

                started = time.perf_counter()
                ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
                cluster_s = time.perf_counter() - started
            pipeline = wiring.build_pipeline(settings, wiring.build_index(settings))
            report = pipeline.run(folders)
    return {
        "engine": engine,
        "files": len(report.files),
        "counts": report.counts,
        "chunks": report.total_chunks,
        "wall_s": report.seconds,
        "cluster_start_s": cluster_s,
        "stages": report.stage_seconds,
        "peak_rss_mb": memory.peak / 2**20,
        "failed": [(str(r.path), r.error) for r in report.failed],
        "per_file": [
            {"source": r.source, "pages": r.pages, "chunks": r.chunks, "stages": r.stages}
            for r in report.files
        ],
    }


def scheduling_cost(cpus: int, chunks: int, files: int = 200) -> dict[str, float]:
    """Per-file driver cost of a Ray task that carries a plan out and a prepared file back."""
    import ray

    from ingestion.batch import FileWork, PreparedFile
    from ingestion.hashing import document_id_for
    from ridgeline.types import Chunk, SourceDocument

    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    document = SourceDocument(
        document_id=document_id_for(Path("a.pdf")), path=Path("/a.pdf"), source="a.pdf",
        content_hash="0" * 64, size_bytes=1,
    )  # fmt: skip
    text = "word " * 180  # about one chunk of 200 tokens
    prepared = PreparedFile(
        FileWork(path=Path("/a.pdf")),
        document,
        [
            Chunk(
                chunk_id=f"c{n}",
                document_id=document.document_id,
                source="a.pdf",
                citation="a.pdf#page=1",
                content=text,
                page_number=1,
            )
            for n in range(chunks)
        ],
        set(),
        "added",
    )

    @ray.remote(num_cpus=1)
    def echo(item: PreparedFile) -> PreparedFile:
        return item

    ray.get([echo.remote(prepared) for _ in range(cpus * 2)])  # workers started and warm
    started = time.perf_counter()
    for _ in range(files // 4):
        ray.get(echo.remote(prepared))
    one_by_one = (time.perf_counter() - started) / (files // 4)
    started = time.perf_counter()
    ray.get([echo.remote(prepared) for _ in range(files)])
    pipelined = (time.perf_counter() - started) / files
    ray.shutdown()
    return {"round_trip_ms": one_by_one * 1000, "pipelined_ms": pipelined * 1000}


def _child(args: argparse.Namespace) -> int:
    if args.child == "overhead":
        figures: dict[str, Any] = scheduling_cost(args.cpus, args.chunks)
    else:
        figures = run_engine(args.child, args.folders, args.cpus)
    print("RESULT " + json.dumps(figures))
    return 0


def _in_child(what: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.ingest_ray", *map(str, args.folders),
               "--cpus", str(args.cpus), "--chunks", str(args.chunks), "--child", what]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def _print_run(run: dict[str, Any]) -> None:
    stages = ", ".join(f"{name} {seconds:.1f}" for name, seconds in run["stages"].items())
    print(f"[{run['engine']}] files {run['files']} {run['counts']}  chunks {run['chunks']}")
    print(
        f"  wall {run['wall_s']:.1f} s (+ cluster start {run['cluster_start_s']:.1f} s)  "
        f"chunks/s {run['chunks'] / run['wall_s']:.2f}  peak RSS {run['peak_rss_mb']:.0f} MB"
    )
    print(f"  seconds per stage: {stages}")
    for path, error in run["failed"]:
        print(f"  failed: {path}: {error}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=list(CORPORA))
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster.")
    parser.add_argument("--chunks", type=int, default=12, help="Chunks per file (overhead).")
    parser.add_argument("--json", type=Path, help="Also write every figure to this file.")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args)
    missing = [str(f) for f in args.folders if not f.is_dir()]
    if missing:
        print(f"error: corpus folder not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    runs = [_in_child(engine, args) for engine in ("local", "ray")]
    for run in runs:
        _print_run(run)
    overhead = _in_child("overhead", args)
    print(
        f"Ray per file ({args.chunks} chunks back): one at a time "
        f"{overhead['round_trip_ms']:.1f} ms, pipelined {overhead['pipelined_ms']:.2f} ms"
    )
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "overhead": overhead}, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
