import json
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ingestion.enrich import EnrichmentCache, ImageEnricher
from ingestion.journal import WriteJournal
from ingestion.pipeline import IngestionPipeline
from ingestion.registry import default_parser_registry
from ingestion.report import STAGES
from ingestion.splitter import TokenSplitter
from ridgeline.providers.tokenizer import TiktokenTokenizer
from ridgeline.types import SourceDocument
from tests.fakes import HashingEmbedder
from tests.ingestion.fakes import (
    CountingCaptioner,
    FixedOcr,
    InMemoryIndex,
    MeanColourImageEmbedder,
    RecordingEmbedder,
    RecordingProgress,
)
from tests.retrieval.searching import search

MakePdf = Callable[[str, Sequence[str]], Path]


@pytest.fixture
def index() -> InMemoryIndex:
    return InMemoryIndex()


def make_pipeline(
    index: InMemoryIndex,
    embedder: HashingEmbedder,
    *,
    max_file_bytes: int = 10**6,
    ocr_text: str = "Summit Lantern",
) -> IngestionPipeline:
    return IngestionPipeline(
        registry=default_parser_registry(ocr=FixedOcr(ocr_text), max_image_pixels=10**6),
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
        "manual.pdf": ("added", 1),  # two short pages read on into one chunk
        "notes.xyz": ("failed", 0),
        "products.csv": ("added", 2),
    }
    errors = {r.source: r.error for r in report.failed}
    assert "not a readable PDF" in str(errors["broken.pdf"])
    assert str(errors["notes.xyz"]).startswith("unsupported file type '.xyz'")
    assert index.count_chunks() == report.total_chunks == 6
    assert report.counts == {"added": 4, "updated": 0, "unchanged": 0, "removed": 0, "failed": 2}
    assert progress.total == 6 and sorted(progress.results) == sorted(outcome)


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


class LookupCountingIndex(InMemoryIndex):
    def __init__(self) -> None:
        super().__init__()
        self.lookups = 0

    def get_document(self, document_id: str) -> SourceDocument | None:
        self.lookups += 1
        return super().get_document(document_id)


def test_a_run_reads_the_document_rows_once_not_per_file(
    tmp_path: Path, hashing_embedder: HashingEmbedder
) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(f"Notes in {name}.", encoding="utf-8")
    index = LookupCountingIndex()
    pipeline = make_pipeline(index, hashing_embedder)
    pipeline.run([tmp_path])
    (tmp_path / "b.txt").write_text("Changed notes.", encoding="utf-8")

    report = pipeline.run([tmp_path])

    assert [r.status for r in report.files] == ["unchanged", "updated", "unchanged"]
    assert index.lookups == 0


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

    (result,) = make_pipeline(index, hashing_embedder, ocr_text="").run([path]).files

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


def enriching_pipeline(
    tmp_path: Path,
    index: InMemoryIndex,
    *,
    image_embedder: MeanColourImageEmbedder | None = None,
    journal: WriteJournal | None = None,
) -> IngestionPipeline:
    ocr = FixedOcr("Summit Lantern")
    enricher = ImageEnricher(
        ocr=ocr,
        captioner=CountingCaptioner(),
        cache=EnrichmentCache(tmp_path / ".state" / "cache.sqlite"),
        max_image_pixels=10**6,
    )
    return IngestionPipeline(
        registry=default_parser_registry(ocr=ocr, max_image_pixels=10**6),
        splitter=TokenSplitter(tokenizer=TiktokenTokenizer(), chunk_tokens=60, overlap_tokens=6),
        embedder=HashingEmbedder(),
        index=index,
        max_file_bytes=10**6,
        enricher=enricher,
        image_embedder=image_embedder,
        journal=journal,
    )


def test_an_images_caption_is_searchable_text_of_its_chunk(
    tmp_path: Path, text_png: Path, index: InMemoryIndex
) -> None:
    report = enriching_pipeline(tmp_path, index).run([text_png])

    (chunk,) = index.all_chunks()
    assert "A picture of lantern_label (lantern label" in chunk.content
    assert chunk.images[0].caption.startswith("A picture of lantern_label")
    assert search(index, text="picture", vector=None, mode="text", top=1)[0].chunk == chunk
    assert (report.total_pages, report.total_images) == (1, 1)


def test_chunks_with_images_get_the_vector_of_their_first_image(
    tmp_path: Path, csv_catalog: Path, index: InMemoryIndex
) -> None:
    photo = tmp_path / "img" / "tent1.jpg"  # row 1's first photo; its second is missing
    photo.parent.mkdir()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(photo)
    image_embedder = MeanColourImageEmbedder()

    report = enriching_pipeline(tmp_path, index, image_embedder=image_embedder).run([csv_catalog])

    (vectors,) = index.image_vectors.values()
    assert vectors is not None
    *tent_chunks, lantern_chunk = vectors  # the lantern's photo is a URL: never fetched
    expected = image_embedder.embed_images([photo])[0]
    assert lantern_chunk is None and tent_chunks
    assert all(vector == pytest.approx(expected) for vector in tent_chunks)
    assert report.files[0].warnings == [
        f"image {photo.parent / 'tent2.jpg'}: no such file; not enriched"
    ]
    assert [len(call) for call in image_embedder.calls] == [1, 1]


def test_a_catalog_record_gets_the_mean_vector_of_all_its_photos(
    tmp_path: Path, csv_catalog: Path, index: InMemoryIndex
) -> None:
    # Photos of one record are views of one product: their mean finds unseen photos of it
    # better than any one of them (docs/benchmarks.md, query by image through POST /chat).
    (tmp_path / "img").mkdir()
    red, blue = tmp_path / "img" / "tent1.jpg", tmp_path / "img" / "tent2.jpg"
    Image.new("RGB", (20, 20), (220, 20, 20)).save(red)
    Image.new("RGB", (20, 20), (20, 20, 220)).save(blue)
    image_embedder = MeanColourImageEmbedder()

    enriching_pipeline(tmp_path, index, image_embedder=image_embedder).run([csv_catalog])

    (vectors,) = index.image_vectors.values()
    assert vectors is not None
    *tent_chunks, lantern_chunk = vectors
    mean = np.add(*image_embedder.embed_images([red, blue]))
    expected = mean / np.linalg.norm(mean)
    assert lantern_chunk is None and tent_chunks
    assert all(vector == pytest.approx(expected) for vector in tent_chunks)


def test_documents_without_images_are_written_without_image_vectors(
    tmp_path: Path, index: InMemoryIndex
) -> None:
    (tmp_path / "a.txt").write_text("Bring a headlamp.", encoding="utf-8")
    image_embedder = MeanColourImageEmbedder()

    enriching_pipeline(tmp_path, index, image_embedder=image_embedder).run([tmp_path / "a.txt"])

    assert list(index.image_vectors.values()) == [None] and image_embedder.calls == []


def test_each_file_reports_time_per_stage(tmp_path: Path, text_png: Path) -> None:
    image_embedder = MeanColourImageEmbedder()

    report = enriching_pipeline(tmp_path, InMemoryIndex(), image_embedder=image_embedder).run(
        [text_png]
    )

    (result,) = report.files
    assert set(result.stages) == set(STAGES)
    assert all(seconds >= 0 for seconds in result.stages.values())
    assert report.stage_seconds["parse"] == result.stages["parse"] and report.seconds > 0


def test_prune_removes_documents_whose_files_are_gone_only_under_the_given_roots(
    tmp_path: Path, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    kept, gone = tmp_path / "docs" / "kept.txt", tmp_path / "docs" / "gone.txt"
    elsewhere = tmp_path / "other" / "gone-too.txt"
    for path in (kept, gone, elsewhere):
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"About {path.stem}.", encoding="utf-8")
    pipeline = make_pipeline(index, hashing_embedder)
    pipeline.run([tmp_path])
    gone.unlink()
    elsewhere.unlink()

    dry = pipeline.run([tmp_path / "docs"], prune=True, dry_run=True)
    report = pipeline.run([tmp_path / "docs"], prune=True)

    assert [(r.source, r.status) for r in dry.removed] == [("gone.txt", "removed")]
    assert [(r.source, r.status) for r in report.files] == [
        ("kept.txt", "unchanged"),
        ("gone.txt", "removed"),
    ]
    assert sorted(d.source for d in index.list_documents()) == ["gone-too.txt", "kept.txt"]


def test_a_write_interrupted_after_the_chunks_is_redone_even_if_the_hash_matches(
    tmp_path: Path, index: InMemoryIndex
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Bring a headlamp.", encoding="utf-8")
    journal = WriteJournal(tmp_path / ".state" / "journal.sqlite")
    pipeline = enriching_pipeline(tmp_path, index, journal=journal)
    pipeline.run([path])
    # A killed run had begun writing the file (its note is open) and left stale chunks behind.
    (document,) = index.list_documents()
    journal.begin(document.model_copy(update={"content_hash": "from-the-killed-run"}))
    index.chunks[document.document_id] = []

    report = pipeline.run([path])

    assert report.repaired == [str(path.resolve())]
    assert [(r.status, r.chunks) for r in report.files] == [("updated", 1)]
    assert [c.content for c in index.all_chunks()] == ["Bring a headlamp."]
    assert journal.pending() == []


def test_an_interrupted_write_of_a_deleted_file_removes_its_document(
    tmp_path: Path, index: InMemoryIndex
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Bring a headlamp.", encoding="utf-8")
    journal = WriteJournal(tmp_path / ".state" / "journal.sqlite")
    pipeline = enriching_pipeline(tmp_path, index, journal=journal)
    pipeline.run([path])
    (document,) = index.list_documents()
    journal.begin(document.model_copy(update={"content_hash": "from-the-killed-run"}))
    path.unlink()

    report = pipeline.run([tmp_path])

    assert report.repaired == [str(path.resolve())] and report.files == []
    assert index.list_documents() == [] and index.count_chunks() == 0
    assert journal.pending() == []


def test_the_json_report_lists_each_failure_with_its_reason(
    tmp_path: Path, index: InMemoryIndex, hashing_embedder: HashingEmbedder
) -> None:
    (tmp_path / "notes.xyz").write_text("?", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Fine.", encoding="utf-8")

    body = json.loads(make_pipeline(index, hashing_embedder).run([tmp_path]).to_json())

    assert body["failures"] == [
        {
            "path": str(tmp_path / "notes.xyz"),
            "reason": "unsupported file type '.xyz' (supported: "
            + ", ".join(default_parser_registry(ocr=FixedOcr(""), max_image_pixels=1).extensions)
            + ")",
        }
    ]
    assert body["counts"]["added"] == 1 and body["total_chunks"] == 1
    assert set(body["stage_seconds"]) == set(STAGES)


@pytest.mark.integration
def test_image_vectors_reach_the_real_index_and_find_the_photo(tmp_path: Path) -> None:
    from retrieval.lancedb import LanceDbIndex

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, colour in (("red_tent.png", (200, 30, 30)), ("blue_mug.png", (30, 30, 200))):
        Image.new("RGB", (24, 24), colour).save(docs / name)
    (docs / "notes.txt").write_text("Bring a headlamp.", encoding="utf-8")
    index = LanceDbIndex(tmp_path / "index", dimension=64)
    image_embedder = MeanColourImageEmbedder()

    report = enriching_pipeline(tmp_path, index, image_embedder=image_embedder).run([docs])  # type: ignore[arg-type]

    assert report.counts["added"] == 3
    query = image_embedder.embed_images([docs / "red_tent.png"])[0]
    text_vector = HashingEmbedder().embed_query("photo")
    hits = search(index, text="photo", vector=text_vector, mode="hybrid", top=3, image_vector=query)
    image_ranks = {hit.chunk.source: hit.image_rank for hit in hits}
    assert image_ranks["red_tent.png"] == 1 and image_ranks["blue_mug.png"] == 2
    assert image_ranks.get("notes.txt") is None  # a chunk without an image has no image vector
