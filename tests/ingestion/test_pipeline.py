from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.splitter import TokenSplitter
from ridgeline.providers.tokenizer import TiktokenTokenizer
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import FixedOcr, InMemoryIndex, RecordingProgress

MakePdf = Callable[[str, Sequence[str]], Path]


@pytest.fixture
def index() -> InMemoryIndex:
    return InMemoryIndex()


def make_pipeline(
    index: InMemoryIndex, embedder: HashingEmbedder, *, max_file_bytes: int = 10**6
) -> IngestionPipeline:
    return IngestionPipeline(
        registry=default_parser_registry(ocr=FixedOcr("Summit Lantern"), max_image_pixels=10**6),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=60, overlap_tokens=6),
        embedder=embedder,
        index=index,
        max_file_bytes=max_file_bytes,
    )


@pytest.mark.usefixtures("csv_catalog", "json_catalog", "text_png")
def test_a_folder_is_ingested_and_a_bad_file_is_reported_by_name(
    tmp_path: Path, make_pdf: MakePdf, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    make_pdf("manual.pdf", ["Pitch the tent on flat ground.", "Dry the tent before storage."])
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 this is not really a pdf")
    (tmp_path / "notes.xyz").write_text("?", encoding="utf-8")
    progress = RecordingProgress()

    report = make_pipeline(index, hashing_embedder).run([tmp_path], progress=progress)

    outcome = {r.source: (r.status, r.chunks) for r in report.files}
    assert outcome == {
        "broken.pdf": ("failed", 0),
        "gear.json": ("added", 2),
        "lantern_label.png": ("added", 1),
        "manual.pdf": ("added", 2),
        "notes.xyz": ("failed", 0),
        "products.csv": ("added", 2),
    }
    errors = {r.source: r.error for r in report.failed}
    assert "not a readable PDF" in str(errors["broken.pdf"])
    assert str(errors["notes.xyz"]).startswith("unsupported file type '.xyz'")
    assert index.count_chunks() == report.total_chunks == 7
    assert report.counts == {"added": 4, "updated": 0, "unchanged": 0, "failed": 2}
    assert progress.total == 6 and sorted(progress.results) == sorted(outcome)


class RecordingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.texts.extend(texts)
        return super().embed_documents(texts)


def test_the_embedded_text_carries_the_title_once(
    tmp_path: Path, csv_catalog: Path, index: InMemoryIndex
) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("# Summit Lantern\n\nWipe it dry.\n", encoding="utf-8")
    embedder = RecordingEmbedder()

    make_pipeline(index, embedder).run([guide, csv_catalog])

    assert embedder.texts[0] == "Summit Lantern\nWipe it dry."
    assert embedder.texts[1].startswith("TrailMaster Tent\nCategory: Tents\n")
    assert embedder.texts[1].count("TrailMaster Tent") == 1


def test_reingesting_an_unchanged_file_writes_nothing(
    tmp_path: Path, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Bring a headlamp.", encoding="utf-8")
    pipeline = make_pipeline(index, hashing_embedder)
    pipeline.run([path])

    report = pipeline.run([path])

    assert [(r.status, r.chunks) for r in report.files] == [("unchanged", 0)]
    assert len(index.writes) == 1


def test_a_changed_file_replaces_its_chunks(
    tmp_path: Path, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Bring a headlamp.", encoding="utf-8")
    pipeline = make_pipeline(index, hashing_embedder)
    pipeline.run([path])
    path.write_text("Bring a stove.", encoding="utf-8")

    report = pipeline.run([path])

    assert [r.status for r in report.files] == ["updated"]
    assert [c.content for c in index.all_chunks()] == ["Bring a stove."]
    (document,) = index.list_documents()
    assert document.size_bytes == len("Bring a stove.")


def test_an_oversize_file_fails_before_it_is_read(
    tmp_path: Path, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    path = tmp_path / "big.txt"
    path.write_text("x" * 200, encoding="utf-8")

    report = make_pipeline(index, hashing_embedder, max_file_bytes=100).run([path])

    (result,) = report.failed
    assert result.error == "file is 200 bytes, above the limit of 100 (RIDGELINE_MAX_FILE_BYTES)"
    assert index.writes == []


def test_a_file_without_text_fails_honestly_and_keeps_no_data(
    make_pdf: MakePdf, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    path = make_pdf("scan.pdf", ["", ""])

    (result,) = make_pipeline(index, hashing_embedder).run([path]).files

    assert result.status == "failed"
    assert str(result.error).startswith("no text found")
    assert index.writes == []


def test_an_unexpected_error_is_recorded_and_the_run_goes_on(
    tmp_path: Path, index: InMemoryIndex
) -> None:
    class BrokenEmbedder(HashingEmbedder):
        def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
            if any("boom" in t for t in texts):
                raise RuntimeError("model crashed")
            return super().embed_documents(texts)

    (tmp_path / "a.txt").write_text("boom", encoding="utf-8")
    (tmp_path / "b.txt").write_text("fine", encoding="utf-8")

    report = make_pipeline(index, BrokenEmbedder()).run([tmp_path])

    assert [(r.source, r.status, r.error) for r in report.files] == [
        ("a.txt", "failed", "unexpected error: RuntimeError: model crashed"),
        ("b.txt", "added", None),
    ]


def test_a_dry_run_reports_but_writes_nothing(
    tmp_path: Path, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    (tmp_path / "a.txt").write_text("Bring a headlamp.", encoding="utf-8")

    report = make_pipeline(index, hashing_embedder).run([tmp_path], dry_run=True)

    assert report.dry_run and [(r.status, r.chunks) for r in report.files] == [("added", 1)]
    assert index.writes == []
