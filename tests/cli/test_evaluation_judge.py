"""Settings -> the eval judge -> the one LLM client -> the real ``openai`` SDK -> a local
chat-completions server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from eval.judge import LlmJudge
from ridgeline.cli.evaluation import build_judge
from ridgeline.settings import Settings
from tests.ridgeline.providers.chat_completions_server import (
    ChatCompletionsServer,
    chat_completions_server,
)


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # a developer's .env must not leak in


@pytest.fixture
def server() -> Iterator[ChatCompletionsServer]:
    with chat_completions_server() as server:
        yield server


@pytest.mark.integration
def test_the_eval_judge_is_built_on_the_configured_endpoint_with_the_runs_seed(
    server: ChatCompletionsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eval.config import JudgeConfig

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.reply = "Score: 4"
    values = settings(openai_base_url=server.base_url, openai_api_key="k", llm_max_retries=0)
    judge = build_judge(
        JudgeConfig(model="judge-1", metrics=["relevance"], temperature=0.3), values, seed=7
    )
    assert isinstance(judge, LlmJudge)
    scores = judge.judge(question="Q?", answer="A.", truth="", contexts=[])
    assert (scores["relevance"].score, scores["relevance"].tokens) == (4.0, 333)
    body = server.requests[0].body
    assert (body["model"], body["temperature"], body["seed"]) == ("judge-1", 0.3, 7)
    assert judge.llm.usage.totals()["judge"].calls == 1
