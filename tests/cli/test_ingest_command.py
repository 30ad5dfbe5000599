"""``ridgeline ingest`` options: --dry-run, --prune and --report. The text embedder is the fast
hashing one, registered as a plugin and chosen by RIDGELINE_TEXT_EMBEDDER; the index is real
LanceDB."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ridgeline.cli import main, wiring

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def fast_embedder(hashing_plugin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIDGELINE_TEXT_EMBEDDER", hashing_plugin)


def ingest(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main.app, ["ingest", *args], env={"COLUMNS": "200"})
    return result.exit_code, result.output


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "tent.md").write_text("# Tent\n\nPitch it on flat ground.\n", encoding="utf-8")
    (folder / "stove.txt").write_text("Light the stove outdoors.", encoding="utf-8")
    return folder


def test_a_dry_run_says_what_it_would_do_and_writes_nothing(docs: Path, tmp_path: Path) -> None:
    code, output = ingest(str(docs), "--index", str(tmp_path / "index"), "--dry-run")

    assert code == 0
    assert "dry run: nothing was embedded, written or removed" in output
    assert f"would add {docs / 'stove.txt'} (1 chunks)" in output
    assert "Would ingest into" in output
    assert _chunks(tmp_path) == 0


def test_address_without_the_ray_engine_is_refused(docs: Path, tmp_path: Path) -> None:
    code, output = ingest(str(docs), "--index", str(tmp_path / "index"), "--address", "h:6379")

    assert code == 2 and "--engine ray" in output


def test_a_dry_run_on_the_ray_engine_builds_its_workers_from_the_settings(
    ray_cluster: object, docs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers load plugins from installed entry points: a plugin registered in this process
    # alone is not there, so the workers get the packaged embedder (a dry run never loads it).
    monkeypatch.setenv("RIDGELINE_TEXT_EMBEDDER", "minilm")
    code, output = ingest(
        str(docs), "--index", str(tmp_path / "index"), "--dry-run", "--engine", "ray"
    )

    assert code == 0, output
    assert f"would add {docs / 'stove.txt'} (1 chunks)" in output
    assert _chunks(tmp_path) == 0


def _chunks(tmp_path: Path) -> int:
    return wiring.build_index(main.Settings(index_dir=tmp_path / "index")).count_chunks()


def test_failures_exit_non_zero_and_the_json_report_gives_each_reason(
    docs: Path, tmp_path: Path
) -> None:
    (docs / "notes.xyz").write_text("?", encoding="utf-8")
    report = tmp_path / "report.json"

    code, output = ingest(str(docs), "--index", str(tmp_path / "index"), "--report", str(report))

    assert code == 1 and "failed" in output and "notes.xyz" in output
    body = json.loads(report.read_text(encoding="utf-8"))
    (failure,) = body["failures"]
    assert failure["path"] == str(docs / "notes.xyz")
    assert failure["reason"].startswith("unsupported file type '.xyz'")
    assert body["counts"]["added"] == 2 and _chunks(tmp_path) == 2


def test_prune_removes_the_documents_of_deleted_files(docs: Path, tmp_path: Path) -> None:
    index = str(tmp_path / "index")
    ingest(str(docs), "--index", index)
    (docs / "stove.txt").unlink()

    code, output = ingest(str(docs), "--index", index, "--prune")

    assert code == 0 and _chunks(tmp_path) == 1, output
    sources = [
        d.source for d in wiring.build_index(main.Settings(index_dir=Path(index))).list_documents()
    ]
    assert sources == ["tent.md"]


def test_an_index_built_with_another_image_embedder_is_refused_with_what_to_do(
    docs: Path, tmp_path: Path
) -> None:
    from retrieval.lancedb import LanceDbIndex

    index_dir = tmp_path / "index"
    LanceDbIndex(index_dir, dimension=384, image_dimension=7).count_chunks()  # an old width

    code, output = ingest(str(docs), "--index", str(index_dir))

    assert code == 2
    assert "holds 7-d image vectors" in output
    assert "ingest again into a new index directory" in output


def test_an_index_of_the_old_descriptor_vectors_is_refused_by_the_learned_default(
    docs: Path, tmp_path: Path
) -> None:
    from retrieval.lancedb import LanceDbIndex
    from ridgeline.providers.visual_embedder import VisualSimilarityEmbedder

    old = tmp_path / "index"
    width = VisualSimilarityEmbedder().dimension  # built with RIDGELINE_IMAGE_EMBEDDER=visual
    LanceDbIndex(old, dimension=384, image_dimension=width).count_chunks()

    code, output = ingest(str(docs), "--index", str(old))

    assert code == 2
    assert f"holds {width}-d image vectors" in output
    assert "efficientnet-lite0-v1+visual2" in output
    assert "ridgeline ingest --reprocess PATHS --index NEW_DIR" in output
    code, output = ingest(str(docs), "--index", str(tmp_path / "new"), "--reprocess")
    assert code == 0, output


def test_reprocess_re_splits_unchanged_files_after_a_settings_change(
    docs: Path, tmp_path: Path
) -> None:
    index = str(tmp_path / "index")
    sentences = " ".join(f"Step {n}: keep the stove {n} metres from the tent." for n in range(30))
    (docs / "stove.txt").write_text(sentences, encoding="utf-8")
    ingest(str(docs), "--index", index)
    before = _chunks(tmp_path)
    smaller = {"RIDGELINE_CHUNK_TOKENS": "40", "RIDGELINE_CHUNK_OVERLAP_TOKENS": "4"}

    skipped = CliRunner().invoke(main.app, ["ingest", str(docs), "--index", index], env=smaller)
    assert skipped.exit_code == 0 and _chunks(tmp_path) == before

    redone = CliRunner().invoke(
        main.app, ["ingest", str(docs), "--index", index, "--reprocess"], env=smaller
    )

    assert redone.exit_code == 0, redone.output
    assert _chunks(tmp_path) > before + 3
