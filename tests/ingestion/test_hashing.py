import hashlib
from pathlib import Path

import pytest

from ingestion.hashing import content_hash, document_id_for


def test_content_hash_is_the_sha256_of_the_bytes(tmp_path: Path) -> None:
    path = tmp_path / "big.bin"
    data = bytes(range(256)) * 9000  # more than one read block
    path.write_bytes(data)

    assert content_hash(path) == hashlib.sha256(data).hexdigest()


def test_document_id_depends_on_the_resolved_path_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.txt"
    path.write_text("one", encoding="utf-8")
    before = document_id_for(path)
    path.write_text("two", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert document_id_for(Path("a.txt")) == before
    assert document_id_for(tmp_path / "sub" / ".." / "a.txt") == before
    assert document_id_for(tmp_path / "b.txt") != before
    assert len(before) == 24 and int(before, 16) >= 0
