"""Reading the benchmarks' inputs: JSON-lines files, and cached LanceDB indexes made current.

rows = read_jsonl(Path("../shared/data/eval/northwind-qa.jsonl"))
index = current_text_index(LanceDbIndex(directory, dimension=384))
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from retrieval.lancedb import LanceDbIndex


def read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_qrels(path: Path) -> dict[str, set[str]]:
    """A BEIR qrels TSV (header, then query id, document id, score): the relevant documents."""
    qrels: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        query_id, doc_id, score = line.split("\t")
        if int(score) > 0:
            qrels.setdefault(query_id, set()).add(doc_id)
    return qrels


def current_text_index(index: LanceDbIndex) -> LanceDbIndex:
    """A cached index, its full-text index re-created if an older version built it."""
    if not index.text_index_is_current():
        started = time.perf_counter()
        index.rebuild_text_index()
        print(f"rebuilt the full-text index (stemming) in {time.perf_counter() - started:.1f} s")
    return index
