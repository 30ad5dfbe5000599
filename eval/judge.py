"""An LLM judge: rates answers 1-5 for groundedness, relevance, coherence, fluency, similarity.

It asks the LLM client it is given (:class:`ridgeline.providers.llm_types.LlmClient`: OpenAI,
Azure OpenAI, Ollama, vLLM, llama.cpp; its retries, timeout, seed and token usage are the
client's). Each metric's prompt is a file in
``eval/prompts/<metric>.txt`` with ``{question}``, ``{answer}``, ``{truth}`` and ``{context}``
placeholders. With ``samples > 1`` each metric is asked that many times and the median score is
kept (use a temperature above 0, or the samples are the same). A reply without a readable score
is kept as ``None`` with the reply as the reason, so it is visible in the results, not guessed.

Example::

    judge = LlmJudge(llm=llm.for_role("judge", model="gpt-4o-mini"))
    scores = judge.judge(question="...", answer="...", truth="...", contexts=["..."])
    scores["relevance"].score  # 4.0
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel

from eval.score_parsing import parse_reason, parse_score
from ridgeline.errors import ConfigError
from ridgeline.providers.llm_types import Completion, LlmClient

JudgeMetric = Literal["groundedness", "relevance", "coherence", "fluency", "similarity"]
JUDGE_METRICS: tuple[JudgeMetric, ...] = get_args(JudgeMetric)
PROMPTS_DIR = Path(__file__).parent / "prompts"
PASS_SCORE = 4.0  # a judged metric "passes" at 4 or 5


class JudgeScore(BaseModel):
    """The median of the samples' scores (``None`` if no sample had one), the last reason, and
    the tokens the samples cost (as the endpoint counted them; 0 when it did not)."""

    score: float | None
    samples: list[float | None]
    reason: str = ""
    tokens: int = 0


class LlmJudge:
    """Scores one answer with the model behind ``llm`` (its ``temperature``/``seed``, when
    given, are sent with every call instead of the client's)."""

    def __init__(
        self,
        *,
        llm: LlmClient,
        samples: int = 1,
        temperature: float | None = None,
        seed: int | None = None,
        metrics: Sequence[str] = JUDGE_METRICS,
        prompts_dir: Path = PROMPTS_DIR,
    ) -> None:
        if samples < 1:
            raise ConfigError(f"judge samples must be at least 1, got {samples}")
        unknown = sorted(set(metrics) - set(JUDGE_METRICS))
        if unknown:
            raise ConfigError(f"unknown judge metrics {unknown}; known: {list(JUDGE_METRICS)}")
        self.llm = llm
        self.model = llm.model
        self._samples = samples
        self._temperature = temperature
        self._seed = seed
        self.metrics = tuple(metrics)
        self._prompts_dir = prompts_dir

    @cached_property
    def _prompts(self) -> dict[str, str]:
        prompts = {}
        for metric in self.metrics:
            path = self._prompts_dir / f"{metric}.txt"
            try:
                prompts[metric] = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"judge prompt {path} cannot be read: {exc}") from exc
        return prompts

    def judge(
        self, *, question: str, answer: str, truth: str, contexts: Sequence[str]
    ) -> dict[str, JudgeScore]:
        """Scores per metric; similarity is skipped when there is no truth to compare with."""
        fields = {
            "question": question,
            "answer": answer,
            "truth": truth,
            "context": "\n\n".join(contexts) or "(no sources were retrieved)",
        }
        wanted = [m for m in self.metrics if m != "similarity" or truth.strip()]
        return {metric: self._score(self._prompts[metric].format(**fields)) for metric in wanted}

    def _score(self, prompt: str) -> JudgeScore:
        replies = [self._ask(prompt) for _ in range(self._samples)]
        scores = [parse_score(reply.text) for reply in replies]
        known = [score for score in scores if score is not None]
        median = statistics.median(known) if known else None
        return JudgeScore(
            score=median,
            samples=scores,
            reason=parse_reason(replies[-1].text),
            tokens=sum(reply.usage.total_tokens for reply in replies if reply.usage),
        )

    def _ask(self, prompt: str) -> Completion:
        messages = [{"role": "user", "content": prompt}]
        return self.llm.complete(messages, temperature=self._temperature, seed=self._seed)
