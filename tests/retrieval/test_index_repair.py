"""find_damage on indexes without damage (the damaged case is tests/security's story)."""

from __future__ import annotations

from pathlib import Path

from retrieval.index_repair import IndexDamage, find_damage
from retrieval.lancedb import LanceDbIndex
from tests.retrieval.conftest import make_chunks, make_document


def test_no_index_and_a_clean_index_have_no_damage(tmp_path: Path) -> None:
    assert find_damage(tmp_path / "missing") == IndexDamage()
    index = LanceDbIndex(tmp_path / "index", dimension=2)
    chunks = make_chunks("doc", [("one", {}), ("two", {})])
    index.replace_document(make_document("doc"), chunks, [[1.0, 0.0], [0.0, 1.0]])

    damage = find_damage(tmp_path / "index")

    assert damage == IndexDamage() and not damage.documents
