"""What the Ray driver spends per chunk on new files: writing them, or committing what workers
staged.

Usage: python -m bench.staged_writes [--batches 20] [--files 10] [--chunks 27]

Builds batches of new "PDFs" (``--chunks`` chunks of ~900 characters and 384-d vectors each,
``--files`` per batch, as an embedding actor returns them) and writes them into two fresh
LanceDB indexes: once as the driver does without staging (``bulk_load``, one append per batch),
once staged (``LanceStager.stage``, the worker's part, timed apart) and committed
(``commit_staged``, the driver's part). Prints driver milliseconds per chunk for both, the
worker's staging cost, and the bytes a batch sends to the driver either way (pickled).
"""

from __future__ import annotations

import argparse
import pickle
import tempfile
import time
from pathlib import Path

import numpy as np

from retrieval.lancedb import LanceDbIndex
from ridgeline.types import Chunk, NewDocument, SourceDocument

DIMENSION = 384


def _batch(number: int, files: int, chunks: int, rng: np.random.Generator) -> list[NewDocument]:
    batch = []
    for f in range(files):
        doc_id = f"b{number}-f{f}.pdf"
        document = SourceDocument(
            document_id=doc_id, path=Path(f"/data/{doc_id}"), source=doc_id,
            content_hash=f"h{number}-{f}", size_bytes=1_000_000,
        )  # fmt: skip
        words = " ".join(f"word{n}" for n in rng.integers(0, 5000, 150))
        rows = [
            Chunk(chunk_id=f"{doc_id}-{n}", document_id=doc_id, source=doc_id,
                  citation=f"{doc_id}#page={n // 3 + 1}", content=words, page_number=n // 3 + 1)
            for n in range(chunks)
        ]  # fmt: skip
        vectors = rng.standard_normal((chunks, DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        batch.append(NewDocument(document, rows, vectors))
    return batch


def main(batches: int, files: int, chunks: int) -> None:
    rng = np.random.default_rng(18)
    work = [_batch(n, files, chunks, rng) for n in range(batches)]
    total = batches * files * chunks
    with tempfile.TemporaryDirectory() as folder:
        driver = LanceDbIndex(Path(folder) / "driver", dimension=DIMENSION)
        started = time.perf_counter()
        for batch in work:
            driver.bulk_load(batch, fold_in=False)
        driver_ms = (time.perf_counter() - started) * 1000
        staged_index = LanceDbIndex(Path(folder) / "staged", dimension=DIMENSION)
        stager = staged_index.stager()
        assert stager is not None, "pylance is needed: pip install 'ridgeline[ray]'"
        stage_s = commit_s = 0.0
        staged_bytes = 0
        for batch in work:
            started = time.perf_counter()
            staged = stager.stage(batch)
            stage_s += time.perf_counter() - started
            staged_bytes += len(pickle.dumps(staged))
            started = time.perf_counter()
            staged_index.commit_staged(staged)
            commit_s += time.perf_counter() - started
        assert staged_index.count_chunks() == driver.count_chunks() == total
    rows_bytes = sum(len(pickle.dumps(batch)) for batch in work)
    print(f"{batches} batches x {files} files x {chunks} chunks = {total} chunks")
    print(f"driver writes itself (bulk_load):   {driver_ms / total:.3f} ms/chunk on the driver")
    print(f"staged: worker stage                {stage_s * 1000 / total:.3f} ms/chunk on workers")
    print(
        f"staged: driver commit               {commit_s * 1000 / total:.3f} ms/chunk on the driver"
    )
    sent = f"rows {rows_bytes / total:,.0f} B, staged {staged_bytes / total:,.0f} B"
    print(f"to the driver per chunk: {sent}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--chunks", type=int, default=27)
    args = parser.parse_args()
    main(args.batches, args.files, args.chunks)
