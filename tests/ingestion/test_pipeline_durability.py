"""Crash safety and concurrent readers, on the real LanceDB index in tmp_path.

The ``kill -9`` test runs the real ``ridgeline ingest`` command in a child process; the only
change there is the text embedder: the fast hashing embedder, registered as a plugin in the
child (``RIDGELINE_TEXT_EMBEDDER=marking``), which also appends a line to a marker file each
time a batch of files is embedded so the test knows how far the child got before it kills it.
Batches are kept small (``RIDGELINE_EMBED_BATCH_CHUNKS``) so that a kill can land between the
writes of one batch or while the next batch is prepared.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import lancedb
import pytest

from ingestion.journal import JOURNAL_FILE, WriteJournal
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from retrieval.lancedb import LanceDbIndex
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import FixedOcr
from tests.retrieval.searching import search

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
DIMENSION = 384  # the width the child's registered hashing embedder declares

CHILD = """
import sys
from ridgeline.cli import main
from ridgeline.plugins import plugin_registry
from tests.fakes import HashingEmbedder

marker, docs, index = sys.argv[1:4]


class MarkingEmbedder(HashingEmbedder):
    def embed_documents(self, texts):
        with open(marker, "a", encoding="utf-8") as handle:
            handle.write("embedded\\n")
        return super().embed_documents(texts)


plugin_registry().text_embedders.register("marking", lambda settings: MarkingEmbedder(384))
main.app(["ingest", docs, "--index", index])
"""


def write_corpus(folder: Path, files: int = 8) -> Path:
    folder.mkdir(parents=True)
    for n in range(files):
        sentences = [
            f"Item {n} line {k} describes trail gear number {n * 10 + k}." for k in range(30)
        ]
        (folder / f"doc{n:02d}.md").write_text(f"# Doc {n}\n\n" + " ".join(sentences), "utf-8")
    return folder


def chunk_rows(index_dir: Path) -> list[tuple[str, str]]:
    table = lancedb.connect(index_dir).open_table("chunks")
    rows = table.to_arrow().select(["chunk_id", "content"]).to_pylist()
    return sorted((row["chunk_id"], row["content"]) for row in rows)


def document_rows(index_dir: Path) -> list[tuple[str, str, int]]:
    table = lancedb.connect(index_dir).open_table("documents")
    rows = table.to_arrow().to_pylist()
    return sorted((r["document_id"], r["content_hash"], r["chunk_count"]) for r in rows)


def start_child(
    tmp_path: Path, docs: Path, index_dir: Path, marker: Path
) -> subprocess.Popen[bytes]:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "COLUMNS": "120",
        "RIDGELINE_EMBED_BATCH_CHUNKS": "4",  # two files of write_corpus per batch
        "RIDGELINE_TEXT_EMBEDDER": "marking",  # registered by CHILD
    }
    command = [sys.executable, str(script), str(marker), str(docs), str(index_dir)]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def kill_after(child: subprocess.Popen[bytes], marker: Path, *, files: int, delay_s: float) -> bool:
    """SIGKILL the child once it began embedding its ``files``-th batch; False if it ended first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        if marker.exists() and len(marker.read_text("utf-8").splitlines()) >= files:
            time.sleep(delay_s)
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
            return True
        time.sleep(0.002)
    child.wait(timeout=10)
    return False


def local_pipeline(index: LanceDbIndex, journal: WriteJournal | None = None) -> IngestionPipeline:
    return IngestionPipeline(
        registry=default_parser_registry(ocr=FixedOcr(""), max_image_pixels=10**6),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer()),
        embedder=HashingEmbedder(dimension=DIMENSION),
        index=index,
        max_file_bytes=10**6,
        journal=journal,
    )


def test_kill_9_at_any_point_then_rerun_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    docs = write_corpus(tmp_path / "docs", files=16)
    index_dir, marker = tmp_path / "index", tmp_path / "embedded.log"
    killed = []
    for files, delay_s in ((1, 0.0), (2, 0.02), (3, 0.002)):
        marker.unlink(missing_ok=True)
        killed.append(kill_after(start_child(tmp_path, docs, index_dir, marker), marker,
                                 files=files, delay_s=delay_s))  # fmt: skip
    finish = start_child(tmp_path, docs, index_dir, tmp_path / "final.log")
    output = finish.communicate(timeout=120)[0].decode()
    clean_dir = tmp_path / "clean"
    local_pipeline(LanceDbIndex(clean_dir, dimension=DIMENSION)).run([docs])

    assert all(killed), "every run should have been killed mid-way"
    assert finish.returncode == 0, output
    rows = chunk_rows(index_dir)
    assert len(rows) == len({chunk_id for chunk_id, _ in rows})  # no duplicate chunk
    assert rows == chunk_rows(clean_dir)  # no lost or stale chunk
    assert document_rows(index_dir) == document_rows(clean_dir)
    assert WriteJournal(index_dir / JOURNAL_FILE).pending() == []


def test_readers_see_the_old_or_the_new_version_of_a_document_never_a_mix(
    tmp_path: Path,
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    changing, steady = docs / "changing.md", docs / "steady.md"
    versions = {
        word: " ".join(f"{word} sentence {k} about the tent." for k in range(60))
        for word in ("alpha", "bravo")
    }
    steady.write_text("Steady note about kayaks.", "utf-8")
    changing.write_text(versions["alpha"], "utf-8")
    index_dir = tmp_path / "index"
    pipeline = local_pipeline(LanceDbIndex(index_dir, dimension=DIMENSION))
    pipeline.run([docs])
    expected = {word: len(TokenSplitter(tokenizer=TiktokenTokenizer()).split_text(text, budget=200))
                for word, text in versions.items()}  # fmt: skip
    reader = LanceDbIndex(index_dir, dimension=DIMENSION)
    seen: list[tuple[int, int, int]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                hits = search(reader, text="alpha bravo kayaks", vector=None, mode="text", top=100)
                contents = [hit.chunk.content for hit in hits]
                alpha = sum("alpha" in c for c in contents)
                bravo = sum("bravo" in c for c in contents)
                seen.append((alpha, bravo, sum("kayaks" in c for c in contents)))
        except BaseException as exc:  # reported by the test below
            errors.append(exc)

    thread = threading.Thread(target=read)
    thread.start()
    try:
        for word in ("bravo", "alpha", "bravo", "alpha", "bravo", "alpha"):
            changing.write_text(versions[word], "utf-8")
            assert [r.status for r in pipeline.run([changing]).files] == ["updated"]
    finally:
        done.set()
        thread.join(timeout=30)

    assert errors == [] and len(seen) > 3
    allowed = {(expected["alpha"], 0, 1), (0, expected["bravo"], 1)}
    assert set(seen) <= allowed, set(seen) - allowed
