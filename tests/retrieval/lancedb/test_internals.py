"""The private lancedb parts the index uses are still there: fails loudly on a lancedb upgrade.

When this fails after changing the lancedb pin, re-check ``retrieval/lancedb/internals.py``
against the new version (and re-measure docs/benchmarks.md) before moving the pin.
"""

from __future__ import annotations

import re
from pathlib import Path

import lancedb
import pyarrow as pa
import pytest
from lancedb.background_loop import LOOP

from retrieval.lancedb.internals import PINNED_LANCEDB_VERSION, bare_query, bare_take, run_all

REPO = Path(__file__).resolve().parents[3]


def test_the_installed_lancedb_is_the_version_the_internals_were_checked_against() -> None:
    assert lancedb.__version__ == PINNED_LANCEDB_VERSION, (
        f"lancedb {lancedb.__version__} is installed but retrieval/lancedb/internals.py was "
        f"checked against {PINNED_LANCEDB_VERSION}: re-check it, then move the pin"
    )
    pyproject = (REPO / "pyproject.toml").read_text()
    assert re.search(rf'"lancedb=={re.escape(PINNED_LANCEDB_VERSION)}"', pyproject)


@pytest.mark.integration
def test_the_private_attributes_exist_and_a_bare_query_runs(tmp_path: Path) -> None:
    table = lancedb.connect(tmp_path).create_table(
        "t", data=pa.table({"chunk_id": ["a", "b"], "n": [1, 2]})
    )
    assert hasattr(table, "_table") and hasattr(table._table, "_inner")
    assert callable(table._table._inner.query)
    assert callable(LOOP.run)
    rows = run_all({"q": bare_query(table).where("n > 1").select(["chunk_id"]).with_row_id()})
    assert [row["chunk_id"] for row in rows["q"]] == ["b"]
    assert callable(table._table._inner.take_row_ids)
    taken = run_all({"t": bare_take(table, [rows["q"][0]["_rowid"]]).select(["chunk_id"])})
    assert taken == {"t": [{"chunk_id": "b"}]}
    assert run_all({}) == {}
