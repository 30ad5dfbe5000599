"""The LLM judge, exercised with the real ``openai`` SDK against a local server on 127.0.0.1
that speaks the OpenAI chat-completions protocol (``POST /v1/chat/completions``)."""

from pathlib import Path

import pytest

from eval.judge import JUDGE_METRICS, LlmJudge
from ridgeline.errors import ConfigError, ModelError
from ridgeline.providers.llm import OpenAICompatibleClient
from ridgeline.providers.llm_types import LlmConfig
from tests.ridgeline.providers.chat_completions_server import chat_completions_server

REPLIES = {
    "GROUNDEDNESS": '{"score": 5, "reason": "All claims are in the sources."}',
    "RELEVANCE": "Score: 4",
    "COHERENCE": "I would say 3/5.",
    "FLUENCY": "no score here",
}


def _llm(base_url: str, model: str = "j", *, max_retries: int = 2) -> OpenAICompatibleClient:
    config = LlmConfig(model=model, base_url=base_url, api_key="test", max_retries=max_retries)
    return OpenAICompatibleClient(config, role="judge")


def _last_prompt(body: dict) -> str:
    return body["messages"][-1]["content"]


def _reply(prompt: str) -> str:
    for word, reply in REPLIES.items():
        if f"Rate the {word}" in prompt:
            return reply
    return "Rating: 2"  # similarity


@pytest.mark.integration
def test_each_metric_is_scored_from_its_prompt_file():
    with chat_completions_server() as server:
        server.reply = lambda body: _reply(_last_prompt(body))
        judge = LlmJudge(llm=_llm(server.base_url, "judge-1"))
        scores = judge.judge(
            question="What is covered?",
            answer="Eye exams.[plan.pdf#page=3]",
            truth="Eye exams and glasses.[plan.pdf#page=3]",
            contexts=["plan.pdf#page=3: The plan covers eye exams and glasses."],
        )
    assert {name: score.score for name, score in scores.items()} == {
        "groundedness": 5.0,
        "relevance": 4.0,
        "coherence": 3.0,
        "fluency": None,
        "similarity": 2.0,
    }
    assert scores["groundedness"].reason == "All claims are in the sources."
    assert scores["fluency"].reason == "no score here"  # kept visible, not guessed
    prompts = [_last_prompt(request.body) for request in server.requests]
    grounded_prompt = next(p for p in prompts if "GROUNDEDNESS" in p)
    assert "The plan covers eye exams and glasses." in grounded_prompt
    assert "Eye exams.[plan.pdf#page=3]" in grounded_prompt


@pytest.mark.integration
def test_several_samples_keep_the_median():
    replies = iter(["Score: 2", "Score: 5", "Score: 4"])
    with chat_completions_server() as server:
        server.reply = lambda _: next(replies)
        judge = LlmJudge(llm=_llm(server.base_url), samples=3, metrics=["relevance"])
        scores = judge.judge(question="Q?", answer="A.", truth="", contexts=[])
    assert scores["relevance"].samples == [2.0, 5.0, 4.0]
    assert scores["relevance"].score == 4.0
    assert scores["relevance"].tokens == 3 * 333  # three calls, 333 tokens each for the server


@pytest.mark.integration
def test_similarity_is_skipped_without_a_truth_and_a_dead_endpoint_is_a_model_error():
    judge = LlmJudge(llm=_llm("http://127.0.0.1:9/v1", max_retries=0), metrics=["similarity"])
    assert judge.judge(question="Q?", answer="A.", truth="", contexts=[]) == {}
    with pytest.raises(ModelError, match="judge model 'j' could not be reached"):
        judge.judge(question="Q?", answer="A.", truth="T.", contexts=[])


def test_prompt_files_exist_for_every_metric():
    folder = Path(__file__).resolve().parents[2] / "eval" / "prompts"
    for metric in JUDGE_METRICS:
        text = (folder / f"{metric}.txt").read_text(encoding="utf-8")
        assert "{answer}" in text and "1 to 5" in text


def test_bad_judge_settings_are_config_errors():
    with pytest.raises(ConfigError, match="unknown judge metrics"):
        LlmJudge(llm=_llm("http://127.0.0.1:9/v1"), metrics=["taste"])
    with pytest.raises(ConfigError, match="at least 1"):
        LlmJudge(llm=_llm("http://127.0.0.1:9/v1"), samples=0)


def test_a_judged_run_reports_the_judges_tokens_per_question(tmp_path: Path):
    """The tokens each answer's judging cost reach the rows and the summary (mean, count)."""
    from eval.dataset import QaItem
    from eval.runner import run_evaluation
    from eval.scoring import Scorer
    from eval.targets import InProcessTarget
    from tests.ridgeline.providers.fake_llm import ScriptedLlm

    def chat(body: dict) -> dict:
        return {"output_text": "Eye exams.[plan.pdf#page=3]", "context": {}}

    items = [QaItem(question=f"Q{n}?", truth="Eye exams.[plan.pdf#page=3]") for n in range(2)]
    judge = LlmJudge(llm=ScriptedLlm("Score: 5", role="judge"), metrics=["relevance", "fluency"])
    summary = run_evaluation(
        items, InProcessTarget(chat), tmp_path / "run", scorer=Scorer(judge=judge)
    )
    # two metrics per answer, each one call the fake counts as 10 + 2 tokens
    assert summary.metrics["llm_tokens_judge"].mean == 24.0
    assert summary.metrics["llm_tokens_judge"].count == 2
    assert judge.llm.usage.totals()["judge"].calls == 4
    assert "llm_tokens_judge" in (tmp_path / "run" / "report.md").read_text(encoding="utf-8")
