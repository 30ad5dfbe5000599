"""Bug 3: two writers on one index used to corrupt it (a document twice, duplicate chunk ids).

Now one writer at a time holds the index lock: a second ``ridgeline ingest`` is refused with the
first one's pid, an upload waits and then gets a clear error, and a run repairs the duplicates
older versions left behind.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import httpx
import lancedb
from typer.testing import CliRunner

from chat.app import create_app
from chat.config import USER_HEADER, AppConfig
from chat.models.extractive import ExtractiveAnswerer
from chat.service import ChatService
from chat.uploads import PipelineUploadIngestor, UserUploads
from ingestion.index_lock import IndexLock
from retrieval import schema
from retrieval.retriever import HybridRetriever
from ridgeline.cli.main import app
from tests.fakes import HashingEmbedder
from tests.security.ingest_fixtures import lance_index, pipeline
from tests.servers import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]


def _docs(folder: Path, count: int = 4) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        words = " ".join(f"tent{n} pole{n} stake{m}" for m in range(60))
        (folder / f"note{n}.txt").write_text(words, encoding="utf-8")
    return folder


def _worker(*args: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.security.ingest_fixtures", *map(str, args)]
    return subprocess.Popen(command, cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE)


def _wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert process.poll() is None, "the first run ended before it held the lock"
        assert time.monotonic() < deadline, "the first run never started"
        time.sleep(0.05)


def _ids(index_dir: Path) -> tuple[Counter[str], Counter[str]]:
    """How often each document id and each chunk id is stored."""
    db = lancedb.connect(index_dir, read_consistency_interval=timedelta(0))
    documents = db.open_table(schema.DOCUMENTS_TABLE).to_arrow()["document_id"].to_pylist()
    chunks = db.open_table(schema.CHUNKS_TABLE).search().select(["chunk_id"]).limit(None)
    return Counter(documents), Counter(chunks.to_arrow()["chunk_id"].to_pylist())


def test_a_second_ingest_process_is_refused_and_the_index_stays_whole(tmp_path: Path) -> None:
    docs, index_dir = _docs(tmp_path / "docs"), tmp_path / "index"
    started, go = tmp_path / "started", tmp_path / "go"
    first = _worker(index_dir, docs, started, go)
    _wait_for(started, first)  # the first run holds the lock now

    second = _worker(index_dir, docs)
    second_out, _ = second.communicate(timeout=120)
    go.touch()
    first_out, _ = first.communicate(timeout=120)

    assert second.returncode == 3
    assert f"another ingest is running on {index_dir} (pid {first.pid})" in second_out
    assert first.returncode == 0 and '"added": 4' in first_out
    documents, chunks = _ids(index_dir)
    assert len(documents) == 4 and set(documents.values()) == {1}
    assert chunks and set(chunks.values()) == {1}


def test_the_cli_names_the_other_writer_and_fails(tmp_path: Path) -> None:
    docs, index_dir = _docs(tmp_path / "docs", count=1), tmp_path / "index"
    started, go = tmp_path / "started", tmp_path / "go"
    holder = _worker(Path("--hold"), index_dir, started, go)  # holds the lock as a run does
    _wait_for(started, holder)
    try:
        result = CliRunner().invoke(app, ["ingest", str(docs), "--index", str(index_dir)])
    finally:
        go.touch()
        holder.communicate(timeout=120)

    assert result.exit_code == 2
    message = " ".join(result.output.split())  # as printed, less the terminal's line breaks
    assert f"error: another ingest is running on {index_dir} (pid {holder.pid})" in message


def test_an_upload_waits_for_the_writer_then_gets_a_clear_503(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    index = lance_index(index_dir)
    uploads = UserUploads(
        root=tmp_path / "uploads",
        ingestor=PipelineUploadIngestor(
            index=index,
            pipeline_for=lambda target: pipeline(
                index_dir, index=target, lock=IndexLock(index_dir, wait_s=0.3)
            ),
        ),
        suffixes=(".txt",),
    )
    service = ChatService(retriever=HybridRetriever(index=index, embedder=HashingEmbedder()),
                          model=ExtractiveAnswerer())  # fmt: skip
    app = create_app(service, config=AppConfig(api_key="k"), uploads=uploads)
    upload = {"file": ("notes.txt", b"The stove boils water in three minutes.", "text/plain")}
    headers = {"Authorization": "Bearer k", USER_HEADER: "alice"}

    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        with IndexLock(index_dir).held():  # another writer (here: this test) holds the index
            started = time.monotonic()
            busy = client.post("/upload", files=upload, headers=headers)
            waited = time.monotonic() - started
        listed = client.get("/list_uploaded", headers=headers).json()
        done = client.post("/upload", files=upload, headers=headers)

    assert busy.status_code == 503 and waited >= 0.3
    assert f"another ingest is running on {index_dir} (pid {os.getpid()})" in busy.json()["error"]
    assert listed == []  # nothing half-kept
    assert done.status_code == 200 and done.json()["chunks"] == 1


def test_a_run_repairs_duplicates_older_versions_left(tmp_path: Path) -> None:
    docs, index_dir = _docs(tmp_path / "docs", count=3), tmp_path / "index"
    pipeline(index_dir).run([docs])
    clean_documents, clean_chunks = _ids(index_dir)
    # What two unlocked runs left: one document's row and chunks appended a second time, and
    # chunks of a document with no row at all.
    db = lancedb.connect(index_dir)
    documents, chunks = db.open_table("documents"), db.open_table("chunks")
    doubled = sorted(clean_documents)[0]
    documents.add(documents.search().where(f"document_id = '{doubled}'").limit(None).to_arrow())
    copied = chunks.search().where(f"document_id = '{doubled}'").limit(None).to_arrow()
    chunks.add(copied)
    orphan = copied.set_column(
        copied.schema.get_field_index("document_id"),
        "document_id",
        [["0" * 24] * copied.num_rows],
    ).set_column(
        copied.schema.get_field_index("chunk_id"),
        "chunk_id",
        [[f"orphan-{n}" for n in range(copied.num_rows)]],
    )
    chunks.add(orphan)
    assert _ids(index_dir) != (clean_documents, clean_chunks)

    report = pipeline(index_dir, lock=IndexLock(index_dir)).run([docs])

    assert _ids(index_dir) == (clean_documents, clean_chunks)
    assert len(report.index_repairs) == 2
    assert any("stored more than once" in note for note in report.index_repairs)
    assert any("had no document row" in note for note in report.index_repairs)
    assert report.counts["added"] == 1 and report.counts["unchanged"] == 2  # removed, added again
