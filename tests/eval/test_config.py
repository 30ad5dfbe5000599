import json
from pathlib import Path

import pytest

from eval.config import load_config
from ridgeline.errors import ConfigError

YAML = """
dataset: data/qa.jsonl
refusal_dataset: data/dontknows.jsonl
out: runs/one
target:
  kind: http
  url: http://127.0.0.1:8000/chat/stream
  stream: true
  paths: {answer: "output_text", citations: "context.data_points.citations"}
overrides: {retrieval_mode: text, top: 3}
concurrency: 4
seed: 7
judge: {model: judge-1, base_url: "http://127.0.0.1:9000/v1", samples: 3}
"""


def test_a_yaml_config_loads_with_paths_relative_to_it(tmp_path: Path):
    path = tmp_path / "eval.yaml"
    path.write_text(YAML, encoding="utf-8")
    config = load_config(path)
    assert config.dataset == tmp_path / "data/qa.jsonl"
    assert config.out == tmp_path / "runs/one"
    assert config.target.kind == "http" and config.target.stream
    assert config.overrides == {"retrieval_mode": "text", "top": 3}
    assert config.judge is not None and config.judge.samples == 3
    assert config.judge.metrics == [
        "groundedness",
        "relevance",
        "coherence",
        "fluency",
        "similarity",
    ]


def test_a_json_config_loads_too(tmp_path: Path):
    path = tmp_path / "eval.json"
    path.write_text(json.dumps({"dataset": "/abs/qa.jsonl", "out": "o"}), encoding="utf-8")
    config = load_config(path)
    assert config.dataset == Path("/abs/qa.jsonl") and config.target.kind == "local"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dataset: a\nout: b\nconcurency: 3\n", "field 'concurency'"),
        ("dataset: a\nout: b\ntarget: {kind: http}\n", "needs a url"),
        ("dataset: a\nout: b\njudge: {model: m, metrics: [taste]}\n", "field 'judge.metrics.0'"),
        ("- a list\n", "must be a mapping"),
        ("dataset: [unclosed\n", "cannot read"),
    ],
)
def test_bad_configs_name_the_file_and_field(tmp_path: Path, text: str, message: str):
    path = tmp_path / "eval.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_config(path)
    assert str(path) in str(caught.value)
