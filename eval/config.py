"""The configuration of an evaluation run, from a YAML or JSON file (validated by pydantic).

Relative paths in the file are taken relative to the file's folder. API keys are never written
in the file: the judge reads its key from the environment variable ``api_key_env`` names.

Example (``eval.yaml``)::

    dataset: ../shared/data/eval/northwind-qa.jsonl
    refusal_dataset: ../shared/data/eval/northwind-dontknows.jsonl
    out: runs/hybrid
    target: {kind: http, url: "http://127.0.0.1:8000/chat/stream", stream: true}
    overrides: {retrieval_mode: hybrid, top: 5}
    concurrency: 4
    seed: 7
    judge: {model: gpt-4o-mini, base_url: "http://127.0.0.1:11434/v1", samples: 3}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from eval.judge import JUDGE_METRICS, JudgeMetric
from eval.wire import ResponsePaths
from ridgeline.errors import ConfigError


class TargetConfig(BaseModel):
    """``local``: the pipeline in this process; ``http``: any chat-protocol endpoint."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["local", "http"] = "local"
    url: str | None = None
    stream: bool = False
    paths: ResponsePaths = Field(default_factory=ResponsePaths)
    headers: dict[str, str] = Field(default_factory=dict)
    timeout_s: float = Field(default=120.0, gt=0)
    index_dir: Path | None = None

    @model_validator(mode="after")
    def _http_needs_a_url(self) -> TargetConfig:
        if self.kind == "http" and not self.url:
            raise ValueError("an http target needs a url")
        return self


class JudgeConfig(BaseModel):
    """An OpenAI-compatible judge model."""

    model_config = ConfigDict(extra="forbid")

    model: str
    base_url: str | None = None
    api_key_env: str = "OPENAI_API_KEY"
    samples: int = Field(default=1, ge=1, le=15)
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    metrics: list[JudgeMetric] = Field(default_factory=lambda: list(JUDGE_METRICS))


class EvalConfig(BaseModel):
    """Everything ``ridgeline eval run`` needs."""

    model_config = ConfigDict(extra="forbid")

    dataset: Path
    refusal_dataset: Path | None = None
    out: Path
    target: TargetConfig = Field(default_factory=TargetConfig)
    overrides: dict[str, Any] = Field(default_factory=dict)
    concurrency: int = Field(default=1, ge=1, le=64)
    retries: int = Field(default=2, ge=0, le=10)
    backoff_s: float = Field(default=0.5, ge=0)
    seed: int | None = 0
    k: int = Field(default=5, ge=1, le=100)
    limit: int | None = Field(default=None, ge=1)
    resume: bool = True
    semantic_similarity: bool = True
    judge: JudgeConfig | None = None


def load_config(path: Path) -> EvalConfig:
    """Read and validate a config file; errors name the file and the field."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (OSError, yaml.YAMLError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the evaluation config: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the evaluation config must be a mapping")
    try:
        config = EvalConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "config"
        raise ConfigError(f"{path}: field {field!r}: {first['msg']}") from exc
    return _relative_to(config, path.parent)


def _relative_to(config: EvalConfig, base: Path) -> EvalConfig:
    def resolve(value: Path | None) -> Path | None:
        return value if value is None or value.is_absolute() else base / value

    target = config.target.model_copy(update={"index_dir": resolve(config.target.index_dir)})
    return config.model_copy(
        update={
            "dataset": resolve(config.dataset),
            "refusal_dataset": resolve(config.refusal_dataset),
            "out": resolve(config.out),
            "target": target,
        }
    )
