"""``serve --frontend DIR`` / RIDGELINE_FRONTEND_DIR: a built frontend served at ``/`` on the
same origin as the API, whose paths keep answering."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from chat.config import AppConfig
from ridgeline.cli.main import app as cli
from ridgeline.errors import ConfigError
from tests.chat.apps import running_app

pytestmark = pytest.mark.integration


def built(folder: Path) -> Path:
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text("<!doctype html><title>Reference</title>")
    (folder / "assets" / "index-1.js").write_text("console.log('hi')")
    return folder


def test_the_frontend_is_served_at_the_root_and_the_api_keeps_its_paths(tmp_path):
    config = AppConfig(frontend_dir=built(tmp_path / "static"))
    with running_app(tmp_path / "app", config=config) as app:
        page = app.client.get("/")
        assert page.status_code == 200 and "<title>Reference</title>" in page.text
        assert app.client.get("/assets/index-1.js").text == "console.log('hi')"
        assert app.client.get("/config").json()["streamingEnabled"] is True
        assert app.client.get("/health").json() == {"status": "ok"}
        missing = app.client.get("/nothing-here.js")
        assert missing.status_code == 404 and "error" in missing.json()


def test_a_folder_without_a_built_frontend_is_refused_by_name(tmp_path):
    with (
        pytest.raises(ConfigError, match=r"no index\.html"),
        running_app(tmp_path / "app", config=AppConfig(frontend_dir=tmp_path)),
    ):
        pass


def test_serve_names_a_folder_that_is_not_a_built_frontend(tmp_path):
    result = CliRunner().invoke(
        cli, ["serve", "--index", str(tmp_path / "index"), "--frontend", str(tmp_path)]
    )
    assert result.exit_code == 2 and "index.html" in " ".join(result.output.split())
