from pathlib import Path

import pytest

from chat.uploads import OwnedIndex, UploadNotFoundError, UploadRejectedError, UserUploads
from ridgeline.errors import IngestionError
from ridgeline.types import Chunk, NewDocument, SourceDocument


class RecordingIngestor:
    def __init__(self, *, fail: bool = False):
        self.ingested: list[tuple[Path, str]] = []
        self.forgotten: list[Path] = []
        self.fail = fail

    def ingest(self, path: Path, *, owner: str) -> int:
        if self.fail:
            raise IngestionError(path, "no text found")
        self.ingested.append((path, owner))
        return 2

    def forget(self, path: Path) -> None:
        self.forgotten.append(path)


def uploads_in(tmp_path, ingestor):
    return UserUploads(root=tmp_path, ingestor=ingestor, suffixes=(".txt", ".pdf", ".png"))


def test_an_upload_is_stored_in_the_users_folder_and_ingested_for_them(tmp_path):
    ingestor = RecordingIngestor()
    uploads = uploads_in(tmp_path, ingestor)
    assert uploads.add("alice", "notes.txt", b"Our tent is green.") == 2
    ((path, owner),) = ingestor.ingested
    assert owner == "alice" and path.parent == uploads.folder_of("alice")
    assert uploads.list("alice") == ["notes.txt"] and uploads.list("bob") == []


def test_a_user_cannot_delete_another_users_upload(tmp_path):
    uploads = uploads_in(tmp_path, RecordingIngestor())
    uploads.add("alice", "notes.txt", b"hi")
    with pytest.raises(UploadNotFoundError):
        uploads.delete("bob", "notes.txt")
    uploads.delete("alice", "notes.txt")
    assert uploads.list("alice") == []


@pytest.mark.parametrize(
    ("name", "data", "complaint"),
    [
        ("run.exe", b"MZ", "unsupported file type"),
        ("fake.pdf", b"hello", "not a PDF file"),
        ("fake.png", b"GIF89a", "not a PNG file"),
        ("binary.txt", b"\xff\xfe\x00bad", "must be UTF-8"),
        ("..", b"x", "not a usable file name"),
    ],
)
def test_wrong_types_and_names_are_rejected_and_not_stored(tmp_path, name, data, complaint):
    uploads = uploads_in(tmp_path, RecordingIngestor())
    with pytest.raises(UploadRejectedError, match=complaint):
        uploads.add("alice", name, data)
    assert uploads.list("alice") == []


def test_a_path_in_the_name_is_reduced_to_its_file_name(tmp_path):
    uploads = uploads_in(tmp_path, RecordingIngestor())
    uploads.add("alice", "../../etc/notes.txt", b"x")
    assert uploads.list("alice") == ["notes.txt"]


def test_a_file_that_cannot_be_ingested_is_not_kept(tmp_path):
    uploads = uploads_in(tmp_path, RecordingIngestor(fail=True))
    with pytest.raises(IngestionError):
        uploads.add("alice", "empty.txt", b"")
    assert uploads.list("alice") == []


def test_the_owned_index_writes_chunks_readable_by_the_owner_only():
    class Index:
        def __init__(self):
            self.written: list[Chunk] = []

        def replace_document(self, document, chunks, vectors, *, image_vectors=None):
            self.written = list(chunks)

    index = Index()
    document = SourceDocument(
        document_id="d", path=Path("n.txt"), source="n.txt", content_hash="h", size_bytes=1
    )
    chunk = Chunk(chunk_id="c", document_id="d", source="n.txt", citation="n.txt", content="x")
    OwnedIndex(index, owner="alice").replace_document(document, [chunk], [[0.0]])
    assert index.written[0].access_users == ("alice",)


def test_the_owned_index_stamps_the_owner_on_bulk_loads_too():
    class Index:
        def __init__(self):
            self.written: list[Chunk] = []

        def bulk_load(self, documents, *, batch_rows=100_000, fold_in=True):
            self.written = [chunk for item in documents for chunk in item.chunks]
            return len(self.written)

    index = Index()
    document = SourceDocument(
        document_id="d", path=Path("n.txt"), source="n.txt", content_hash="h", size_bytes=1
    )
    chunk = Chunk(chunk_id="c", document_id="d", source="n.txt", citation="n.txt", content="x")
    OwnedIndex(index, owner="alice").bulk_load([NewDocument(document, [chunk], [[0.0]])])
    assert index.written[0].access_users == ("alice",)
