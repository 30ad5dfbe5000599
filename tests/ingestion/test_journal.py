from pathlib import Path

from ingestion.journal import PendingWrite, WriteJournal
from ridgeline.types import SourceDocument


def document(path: Path, content_hash: str) -> SourceDocument:
    return SourceDocument(
        document_id="d1", path=path, source=path.name, content_hash=content_hash, size_bytes=1
    )


def test_an_unfinished_write_is_still_pending_after_a_reopen(tmp_path: Path) -> None:
    journal = WriteJournal(tmp_path / "journal.sqlite")
    journal.begin(document(tmp_path / "a.txt", "h1"))
    journal.close()

    reopened = WriteJournal(tmp_path / "journal.sqlite")

    assert reopened.pending() == [PendingWrite("d1", tmp_path / "a.txt", "h1")]


def test_a_finished_write_leaves_no_note_and_a_new_begin_replaces_the_old(tmp_path: Path) -> None:
    journal = WriteJournal(tmp_path / "journal.sqlite")
    journal.begin(document(tmp_path / "a.txt", "h1"))
    journal.begin(document(tmp_path / "a.txt", "h2"))

    assert [p.content_hash for p in journal.pending()] == ["h2"]
    journal.finish("d1")
    assert journal.pending() == []
