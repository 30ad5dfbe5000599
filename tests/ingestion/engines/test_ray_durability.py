"""``kill -9`` of a Ray run's driver, then a re-run: nothing lost, nothing duplicated.

The child process is a real driver: it starts its own local Ray cluster and runs the pipeline
with the Ray engine; its embedding actor appends a line to a marker file per batch, so the test
knows how far the run got before it kills the driver. The re-run is a Ray run in this process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from ingestion.engines.ray_engine import RayEngine
from ingestion.journal import JOURNAL_FILE, WriteJournal
from tests.ingestion.engines import components
from tests.ingestion.engines.conftest import REPO
from tests.ingestion.engines.test_ray_engine import assert_same_index, build_corpus, pipeline

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHILD = """
import sys
from functools import partial
from pathlib import Path

import ray

from ingestion.engines.ray_engine import RayEngine
from tests.ingestion.engines import components
from tests.ingestion.engines.test_ray_engine import pipeline

docs, index_dir, assets, marker = map(Path, sys.argv[1:5])
ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
engine = RayEngine(components=partial(components.marking_components, assets, marker),
                   embed_batch_chunks=8)
pipeline(index_dir, assets, engine).run([docs])
"""


def kill_driver_after(tmp_path: Path, docs: Path, index_dir: Path, *, batches: int) -> bool:
    """Start a Ray run in a child and SIGKILL it once ``batches`` batches were embedded."""
    marker, script = tmp_path / f"marks{batches}", tmp_path / "child.py"
    script.write_text(CHILD, "utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }
    child = subprocess.Popen(
        [sys.executable, str(script), *map(str, (docs, index_dir, tmp_path / "assets", marker))],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and child.poll() is None:
        if marker.exists() and len(marker.read_text("utf-8").splitlines()) >= batches:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
            return True
        time.sleep(0.005)
    child.kill()
    child.wait(timeout=10)
    return False


def test_kill_9_of_the_driver_then_a_rerun_loses_and_duplicates_nothing(
    ray_cluster: Any, tmp_path: Path
) -> None:
    docs, assets, index_dir = build_corpus(tmp_path / "docs"), tmp_path / "assets", tmp_path / "ray"
    # One kill (each child starts its own Ray cluster, ~20 s here): after the second batch,
    # with writes done, others in flight and files still being parsed.
    killed = [kill_driver_after(tmp_path, docs, index_dir, batches=n) for n in (2,)]
    engine = RayEngine(components=partial(components.fake_components, assets), embed_batch_chunks=8)
    rerun = pipeline(index_dir, assets, engine).run([docs])
    pipeline(tmp_path / "local", assets).run([docs])

    assert all(killed), "every child run should have been killed mid-way"
    assert rerun.counts["failed"] == 2 and rerun.counts["added"] + rerun.counts["updated"] > 0
    assert_same_index(index_dir, tmp_path / "local")
    assert WriteJournal(index_dir / JOURNAL_FILE).pending() == []
