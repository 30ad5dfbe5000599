"""Weak points of issue 12 on the operator's side: ``RIDGELINE_API_KEY=""`` silently turned auth
off; serving beyond loopback without a key gave no warning; a malformed RIDGELINE_CORS_ORIGINS
printed a long traceback. Each is now one clear line."""

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ridgeline.cli.main import app, exposure_warning
from ridgeline.settings import Settings, settings_error_line

runner = CliRunner()


@pytest.mark.parametrize("value", ["", "   "])
def test_an_empty_api_key_fails_validation_in_one_line(monkeypatch, value):
    monkeypatch.setenv("RIDGELINE_API_KEY", value)
    with pytest.raises(ValidationError) as caught:
        Settings()
    line = settings_error_line(caught.value)
    assert line.startswith("RIDGELINE_API_KEY: set but empty") and "\n" not in line


def test_the_cli_reports_an_empty_key_without_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("RIDGELINE_API_KEY", "")
    result = runner.invoke(app, ["serve", "--index", str(tmp_path / "index")])
    assert result.exit_code == 2
    assert "RIDGELINE_API_KEY" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "value", ["intranet.example", "[https://a.example", "https://a.example/path", "ftp://x"]
)
def test_a_malformed_cors_origins_is_one_cli_line(monkeypatch, tmp_path, value):
    monkeypatch.setenv("RIDGELINE_CORS_ORIGINS", value)
    result = runner.invoke(app, ["serve", "--index", str(tmp_path / "index")])
    assert result.exit_code == 2
    assert "RIDGELINE_CORS_ORIGINS" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize(
    ("value", "origins"),
    [
        (
            '["https://a.example", "http://b.example:8080"]',
            ["https://a.example", "http://b.example:8080"],
        ),
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ("*", ["*"]),
    ],
)
def test_cors_origins_read_as_json_or_comma_separated(monkeypatch, value, origins):
    monkeypatch.setenv("RIDGELINE_CORS_ORIGINS", value)
    assert Settings().cors_origins == origins


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "example.org"])
def test_serving_beyond_loopback_without_a_key_warns_in_one_line(host):
    warning = exposure_warning(host, has_key=False)
    assert warning is not None and "RIDGELINE_API_KEY" in warning and "\n" not in warning


@pytest.mark.parametrize(
    ("host", "key"), [("127.0.0.1", False), ("::1", False), ("localhost", False), ("0.0.0.0", True)]
)
def test_loopback_or_a_key_gives_no_warning(host, key):
    assert exposure_warning(host, has_key=key) is None


def test_serve_logs_the_warning_once_before_starting(monkeypatch, tmp_path, caplog):
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(options))
    monkeypatch.delenv("RIDGELINE_API_KEY", raising=False)
    result = runner.invoke(app, ["serve", "--index", str(tmp_path / "i"), "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert started == [{"host": "0.0.0.0", "port": 8000}]
    warnings = [r for r in caplog.records if "without an API key" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"


@pytest.mark.parametrize(
    "command", [["eval", "--help"], ["search-service", "--help"], ["ask", "x"]]
)
def test_every_command_reports_a_bad_setting_in_one_line(monkeypatch, command):
    monkeypatch.setenv("RIDGELINE_CORS_ORIGINS", "not an origin")
    result = runner.invoke(app, command)
    assert result.exit_code == 2 and "RIDGELINE_CORS_ORIGINS" in result.output
    assert "Traceback" not in result.output
