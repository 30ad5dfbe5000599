"""Load test of the chat API on loopback with the offline (extractive) answerer.

Usage::

    python -m bench.load [--seconds 60] [--concurrency 16] [--workers 1] [--mode hybrid]

Ingests the demo corpus (examples/manuals, examples/catalog) into a temporary index, starts
``uvicorn`` serving Ridgeline's app in a child process (``--workers`` processes), then keeps
``--concurrency`` clients sending the demo questions to ``POST /chat`` and ``POST /chat/stream``
(alternating) for ``--seconds``. Prints throughput, latency percentiles (for a stream: until its
last line), errors, and the server's resident memory (all its processes) at start, middle, end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "examples" / "manuals", ROOT / "examples" / "catalog"]
QUESTIONS_FILE = ROOT / "examples" / "demo-qa.jsonl"


def create_app():  # type: ignore[no-untyped-def]
    """uvicorn factory: the app ``ridgeline serve`` builds, from RIDGELINE_* variables."""
    import ridgeline

    return ridgeline.open().http_app()


def ingest(index_dir: Path) -> int:
    import ridgeline

    rl = ridgeline.open(index_dir)
    rl.ingest(CORPUS)
    return rl.index.count_chunks()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(index_dir: Path, port: int, *, workers: int, mode: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "RIDGELINE_INDEX_DIR": str(index_dir),
        "RIDGELINE_CHAT_DATA_DIR": str(index_dir.parent / "chat"),
        "RIDGELINE_RETRIEVAL_MODE": mode,
        "PYTHONPATH": str(ROOT),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.load:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log"]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def _server_processes(process: subprocess.Popen) -> list[psutil.Process]:
    """The server and its worker processes that are still running."""
    parent = psutil.Process(process.pid)
    return [p for p in (parent, *parent.children(recursive=True)) if p.is_running()]


def server_rss_mb(process: subprocess.Popen) -> float:
    return sum(p.memory_info().rss for p in _server_processes(process)) / 2**20


def server_cpu_s(process: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by the server and its worker processes."""
    return sum(sum(p.cpu_times()[:2]) for p in _server_processes(process))


def client_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def wait_ready(base_url: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not start")


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"chat": [], "stream": []})
    errors: list[str] = field(default_factory=list)


async def one_request(client: httpx.AsyncClient, path: str, question: str) -> str | None:
    body = {"messages": [{"role": "user", "content": question}]}
    if path == "/chat":
        response = await client.post(path, json=body)
        return None if response.status_code == 200 else f"/chat {response.status_code}"
    async with client.stream("POST", path, json=body) as response:
        if response.status_code != 200:
            return f"/chat/stream {response.status_code}"
        async for line in response.aiter_lines():
            if line and "error" in json.loads(line):
                return f"/chat/stream error line: {line[:200]}"
    return None


async def client_loop(
    client: httpx.AsyncClient,
    questions: list[str],
    offset: int,
    stop_at: float,
    results: Results,
    *,
    unique: bool,
) -> None:
    n = offset
    while time.monotonic() < stop_at:
        kind = "chat" if n % 2 == 0 else "stream"
        path = "/chat" if kind == "chat" else "/chat/stream"
        question = questions[n % len(questions)]
        if unique:  # a question never asked before: no cached query embedding helps
            question = f"{question} (request {offset}-{n})"
        started = time.perf_counter()
        try:
            error = await one_request(client, path, question)
        except httpx.HTTPError as exc:
            error = f"{path}: {type(exc).__name__}: {exc}"
        if error:
            results.errors.append(error)
        else:
            results.latencies[kind].append(time.perf_counter() - started)
        n += 1


async def run_load(
    base_url: str, questions: list[str], *, seconds: float, concurrency: int, unique: bool = False
) -> Results:
    results = Results()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        stop_at = time.monotonic() + seconds
        loops = [
            client_loop(client, questions, i, stop_at, results, unique=unique)
            for i in range(concurrency)
        ]
        await asyncio.gather(*loops)
    return results


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def report(results: Results, seconds: float, rss: list[float], cpu: tuple[float, float]) -> None:
    every = results.latencies["chat"] + results.latencies["stream"]
    print(f"requests ok: {len(every)}  errors: {len(results.errors)}")
    print(f"throughput: {len(every) / seconds:.1f} req/s over {seconds:.0f} s")
    # CPU per request is what this box's two cores must pay for each answer: unlike wall
    # times, it hardly moves when other work shares the machine.
    per_request = [1000 * c / max(1, len(every)) for c in cpu]
    print(f"cpu per request: server {per_request[0]:.1f} ms, load client {per_request[1]:.1f} ms")
    for name, values in [("all", every), *results.latencies.items()]:
        print(
            f"{name:>6}: n={len(values)} p50={percentile(values, 0.50):.1f} ms "
            f"p95={percentile(values, 0.95):.1f} ms p99={percentile(values, 0.99):.1f} ms "
            f"mean={statistics.fmean(values) * 1000 if values else float('nan'):.1f} ms"
        )
    print("server RSS MB (start, middle, end): " + ", ".join(f"{v:.0f}" for v in rss))
    for error in results.errors[:5]:
        print(f"  error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--mode", choices=["text", "vectors", "hybrid"], default="hybrid")
    parser.add_argument(
        "--unique", action="store_true", help="make every question new (defeats the query cache)"
    )
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in QUESTIONS_FILE.read_text().splitlines()]
    with tempfile.TemporaryDirectory(prefix="ridgeline-load-") as folder:
        index_dir = Path(folder) / "index"
        print(f"indexed {ingest(index_dir)} chunks from the demo corpus")
        port = free_port()
        server = start_server(index_dir, port, workers=args.workers, mode=args.mode)
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_ready(base_url)
            # Warm-up: loads the embedder in every worker before the clock starts.
            asyncio.run(run_load(base_url, questions, seconds=5, concurrency=args.workers * 2))
            rss = [server_rss_mb(server)]
            cpu_start = (server_cpu_s(server), client_cpu_s())
            half = args.seconds / 2
            load = {"seconds": half, "concurrency": args.concurrency, "unique": args.unique}
            first = asyncio.run(run_load(base_url, questions, **load))  # type: ignore[arg-type]
            rss.append(server_rss_mb(server))
            second = asyncio.run(run_load(base_url, questions, **load))  # type: ignore[arg-type]
            rss.append(server_rss_mb(server))
            cpu = (server_cpu_s(server) - cpu_start[0], client_cpu_s() - cpu_start[1])
        finally:
            server.terminate()
            server.wait(timeout=30)
    for kind in ("chat", "stream"):
        first.latencies[kind] += second.latencies[kind]
    first.errors += second.errors
    print(
        f"mode={args.mode} workers={args.workers} concurrency={args.concurrency} "
        f"unique_questions={args.unique} cpus={os.cpu_count()}"
    )
    report(first, args.seconds, rss, cpu)


if __name__ == "__main__":
    # Run as a script, this folder comes first on sys.path, where other benchmarks' module
    # names (bench/retrieval.py) would hide Ridgeline's packages.
    sys.path[0] = str(ROOT)
    main()
