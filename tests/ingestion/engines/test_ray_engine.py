"""The Ray engine against the single-process pipeline, on a real local Ray cluster.

Both runs use the same parsers, splitter, enricher and (fake, fast) embedders; the Ray run's
workers build theirs from :mod:`tests.ingestion.engines.components`. The corpus is small and
real: a PDF with a figure (fpdf2), a photo (Pillow), Markdown, a CSV catalog, and two files
that must fail the same way in both engines.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import lancedb
import numpy as np
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw

from ingestion.engines.ray_engine import RayEngine
from ingestion.journal import JOURNAL_FILE, WriteJournal
from ingestion.pipeline import IngestionPipeline
from ingestion.report import IngestReport
from retrieval.azure.search_index import AzureSearchIndex
from retrieval.lancedb import LanceDbIndex
from ridgeline.errors import ConfigError
from ridgeline.protocols import SearchIndex, StagedWrite
from ridgeline.ranking import RankingQuery
from tests.fakes import HashingEmbedder
from tests.ingestion.engines import components
from tests.ingestion.fakes import MeanColourImageEmbedder, RecordingProgress
from tests.retrieval.search_service.servers import serve_search_service

pytestmark = pytest.mark.integration


def build_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True)
    photo = folder / "red_tent.png"
    image = Image.new("RGB", (320, 200), (200, 40, 30))
    ImageDraw.Draw(image).rectangle((40, 40, 280, 160), fill=(30, 120, 60))
    image.save(photo)
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for page in range(3):
        pdf.add_page()
        lines = [
            f"Section {page}.{k}: the ridge tent holds {k + 2} campers in wind." for k in range(40)
        ]
        pdf.multi_cell(w=0, text=" ".join(lines))
        if page == 1:
            pdf.image(str(photo), w=60)
    pdf.output(str(folder / "manual.pdf"))
    for n in range(4):
        body = " ".join(f"Note {n} sentence {k} about stoves and lanterns." for k in range(50))
        (folder / f"note{n}.md").write_text(f"# Note {n}\n\n{body}\n", "utf-8")
    (folder / "products.csv").write_text(
        'id,name,price,category,description\n1,"Ridge Tent",250,Tents,"Four campers"\n'
        '2,"Summit Lantern",40,Lighting,"Three hundred lumens"\n',
        "utf-8",
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (folder / "scan.xyz").write_text("unsupported", "utf-8")
    return folder


class CountsStagedCommits:
    """Mixed into a real index: counts the documents it committed from files workers staged."""

    staged_documents: int = 0

    def commit_staged(self, staged: StagedWrite) -> int:
        written: int = super().commit_staged(staged)  # type: ignore[misc]  # the index's own
        self.staged_documents += len(staged.document_ids)
        return written


class CommitCountingIndex(CountsStagedCommits, LanceDbIndex):
    """The real LanceDB index, counting staged commits."""


class CountingAzureIndex(CountsStagedCommits, AzureSearchIndex):
    """The Azure adapter, counting the documents whose chunks workers uploaded."""


def pipeline(
    index_dir: Path,
    assets: Path,
    engine: RayEngine | None = None,
    index: SearchIndex | None = None,
) -> IngestionPipeline:
    preparer_parts = components.preparer(assets)
    return IngestionPipeline(
        registry=preparer_parts._registry,
        splitter=preparer_parts._splitter,
        enricher=preparer_parts._enricher,
        embedder=HashingEmbedder(dimension=components.DIMENSION),
        image_embedder=MeanColourImageEmbedder(),
        index=index or LanceDbIndex(index_dir, dimension=components.DIMENSION),
        max_file_bytes=10**7,
        journal=WriteJournal(index_dir / JOURNAL_FILE),
        embed_batch_chunks=8,
        engine=engine,
    )


def chunk_table(index_dir: Path) -> dict[str, dict[str, Any]]:
    rows = lancedb.connect(index_dir).open_table("chunks").to_arrow().to_pylist()
    return {row["chunk_id"]: row for row in rows}


def outcomes(report: IngestReport) -> list[tuple[str, str, int, str | None]]:
    return [(r.source, r.status, r.chunks, r.error) for r in report.files]


def assert_same_index(ray_dir: Path, local_dir: Path) -> None:
    ray_rows, local_rows = chunk_table(ray_dir), chunk_table(local_dir)
    assert len(local_rows) > 10
    assert sorted(ray_rows) == sorted(local_rows)  # same chunk ids, none twice
    for chunk_id, local in local_rows.items():
        theirs = ray_rows[chunk_id]
        text_columns = ("content", "citation", "images", "document_id", "page_number")
        assert {c: theirs[c] for c in text_columns} == {c: local[c] for c in text_columns}
        assert np.allclose(theirs["vector"], local["vector"])
        if local.get("image_vector") is None:
            assert theirs.get("image_vector") is None
        else:
            assert np.allclose(theirs["image_vector"], local["image_vector"])
    documents = [
        sorted((d["document_id"], d["content_hash"], d["chunk_count"])
               for d in lancedb.connect(folder).open_table("documents").to_arrow().to_pylist())
        for folder in (ray_dir, local_dir)
    ]  # fmt: skip
    assert documents[0] == documents[1]


def test_ray_run_writes_what_the_single_process_run_writes(
    ray_cluster: Any, tmp_path: Path
) -> None:
    docs, assets = build_corpus(tmp_path / "docs"), tmp_path / "assets"
    local = pipeline(tmp_path / "local", assets).run([docs])
    engine = RayEngine(components=partial(components.fake_components, assets), embed_batch_chunks=8)
    progress = RecordingProgress()
    index = CommitCountingIndex(tmp_path / "ray", dimension=components.DIMENSION)
    ray_pipeline = pipeline(tmp_path / "ray", assets, engine, index)
    first = ray_pipeline.run([docs], progress=progress)
    again = ray_pipeline.run([docs])

    assert outcomes(first) == outcomes(local)
    assert first.counts == {"added": 7, "updated": 0, "unchanged": 0, "removed": 0, "failed": 2}
    failed = {r.source: r.error for r in first.failed}
    assert "unsupported file type" in (failed["scan.xyz"] or "")
    assert failed["broken.pdf"]
    assert progress.total == 9 and sorted(progress.results) == sorted(r.source for r in local.files)
    assert first.total_images >= 2 and first.stage_seconds["embed"] > 0
    assert_same_index(tmp_path / "ray", tmp_path / "local")
    # New files were written by the embedding actors and only committed here (the batch that
    # first brings image vectors is written here: adding their column is the writer's job).
    assert 0 < index.staged_documents < 7
    assert again.counts["unchanged"] == 7 and again.counts["added"] == 0


def test_ray_run_into_azure_search_uploads_new_files_from_the_workers(
    ray_cluster: Any, tmp_path: Path
) -> None:
    """Azure AI Search through the real SDK against the local search service (its protocol)."""
    docs, assets = build_corpus(tmp_path / "docs"), tmp_path / "assets"
    with serve_search_service(tmp_path / "service") as service:

        def azure(name: str) -> CountingAzureIndex:
            return CountingAzureIndex(
                service.endpoint,
                index_name=name,
                credential=service.api_key,
                dimension=components.DIMENSION,
                image_dimension=MeanColourImageEmbedder().dimension,
                connection_verify=str(service.cert_path),
            )

        local_index, ray_index = azure("local"), azure("ray")
        local = pipeline(tmp_path / "local", assets, index=local_index).run([docs])
        engine = RayEngine(
            components=partial(components.fake_components, assets), embed_batch_chunks=8
        )
        ray_run = pipeline(tmp_path / "ray", assets, engine, ray_index).run([docs])

        assert outcomes(ray_run) == outcomes(local)
        assert ray_index.staged_documents == ray_run.counts["added"] == 7  # all from workers
        assert ray_index.list_documents() == local_index.list_documents()
        ids = [entry.chunk_id for entry in local_index.rank([_everything()])[0]]
        assert len(ids) > 10
        assert ray_index.fetch(ids) == local_index.fetch(ids)


def _everything() -> RankingQuery:
    return RankingQuery(field="vector", vector=[1.0] + [0.0] * (components.DIMENSION - 1), top=500)


def test_workers_killed_mid_file_and_mid_batch_are_replaced_and_nothing_is_lost(
    ray_cluster: Any, tmp_path: Path
) -> None:
    docs, assets = build_corpus(tmp_path / "docs"), tmp_path / "assets"
    pipeline(tmp_path / "local", assets).run([docs])
    died = tmp_path / "died"
    factory = partial(
        components.marking_components, assets, tmp_path / "marks", "Note 2", died, "note1.md"
    )
    report = pipeline(tmp_path / "ray", assets, RayEngine(components=factory)).run([docs])

    assert died.exists() and died.with_suffix(".task").exists()  # both processes did die
    assert report.counts["added"] == 7 and report.counts["failed"] == 2
    assert_same_index(tmp_path / "ray", tmp_path / "local")


def test_embedding_actors_take_a_gpu_each_when_the_device_allows_it(
    ray_cluster: Any, tmp_path: Path
) -> None:
    factory = partial(components.fake_components, tmp_path / "assets")

    def options(**settings: Any) -> tuple[int, dict[str, Any]]:
        return RayEngine(components=factory, **settings).actor_options(ray_cluster)

    assert options(device="auto") == (1, {"num_cpus": 1, "num_gpus": 1})
    assert options(device="cuda") == (1, {"num_cpus": 1, "num_gpus": 1})
    assert options(device="cpu") == (1, {"num_cpus": 1})
    with pytest.raises(ConfigError, match="leave none to parse files"):
        options(device="cpu", embed_actors=2)
