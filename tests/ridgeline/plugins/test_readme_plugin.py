"""The README's plugin example, installed as a real distribution (a dist-info folder on
sys.path with a ``ridgeline.plugins`` entry point), found by the loader and used end to end:
a ``.log`` file is parsed by its parser into its backend and found again."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import ridgeline
from retrieval.lancedb import LanceDbIndex
from ridgeline.plugins.registry import PluginRegistry, plugin_registry, reset_plugin_registry
from ridgeline.settings import Settings
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_plugin_code() -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- plugin-example:[^>]*-->\n```python\n(.*?)```", text, re.DOTALL)
    assert found, "the README lost its plugin example"
    return found.group(1)


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PluginRegistry]:
    site = tmp_path / "site"
    dist_info = site / "ridgeline_logs-0.1.dist-info"
    dist_info.mkdir(parents=True)
    (site / "ridgeline_logs.py").write_text(readme_plugin_code(), encoding="utf-8")
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: ridgeline-logs\nVersion: 0.1\n"
    )
    (dist_info / "entry_points.txt").write_text(
        "[ridgeline.plugins]\nlogs = ridgeline_logs:register\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()
    reset_plugin_registry()
    try:
        yield plugin_registry()
    finally:
        sys.modules.pop("ridgeline_logs", None)
        reset_plugin_registry()  # the next test loads the registry without this plugin


def test_the_readme_plugin_registers_a_parser_and_a_backend(installed_plugin, tmp_path: Path):
    assert installed_plugin.plugins == ["builtin", "logs"]
    assert ".log" in installed_plugin.parsers.extensions()
    installed_plugin.text_embedders.register("hashing", lambda s: HashingEmbedder(dimension=384))
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "app.log").write_text(
        "INFO started\nERROR disk full on /var/spool\nINFO retry\n", encoding="utf-8"
    )
    settings = Settings(
        _env_file=None,
        index_dir=tmp_path / "index",
        index_backend="lancedb-exact",
        text_embedder="hashing",
    )

    rl = ridgeline.open(settings=settings)
    report = rl.ingest([logs])

    assert not report.failed and report.total_chunks == 1
    assert isinstance(rl.index, LanceDbIndex)
    hits = rl.search("disk full", mode="text")
    assert [hit.chunk.citation for hit in hits] == ["app.log"]
    assert hits[0].chunk.content == "ERROR disk full on /var/spool"


def test_without_the_plugin_its_names_are_unknown():
    assert "lancedb-exact" not in plugin_registry().index_backends
    with pytest.raises(ValueError, match="unknown index backend 'lancedb-exact'"):
        Settings(_env_file=None, index_backend="lancedb-exact")
