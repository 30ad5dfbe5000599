"""An LLM judge: rates answers 1-5 for groundedness, relevance, coherence, fluency, similarity.

It talks to any OpenAI-compatible chat-completions endpoint through the ``openai`` SDK (OpenAI,
Azure OpenAI's v1 endpoint, Ollama, vLLM, llama.cpp). Each metric's prompt is a file in
``eval/prompts/<metric>.txt`` with ``{question}``, ``{answer}``, ``{truth}`` and ``{context}``
placeholders. With ``samples > 1`` each metric is asked that many times and the median score is
kept (use a temperature above 0, or the samples are the same). A reply without a readable score
is kept as ``None`` with the reply as the reason, so it is visible in the results, not guessed.

Example::

    judge = LlmJudge(model="gpt-4o-mini", base_url="http://127.0.0.1:11434/v1", api_key="x")
    scores = judge.judge(question="...", answer="...", truth="...", contexts=["..."])
    scores["relevance"].score  # 4.0
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from eval.score_parsing import parse_reason, parse_score
from ridgeline.errors import ConfigError, ModelError

JUDGE_METRICS = ("groundedness", "relevance", "coherence", "fluency", "similarity")
PROMPTS_DIR = Path(__file__).parent / "prompts"
PASS_SCORE = 4.0  # a judged metric "passes" at 4 or 5


class JudgeScore(BaseModel):
    """The median of the samples' scores (``None`` if no sample had one) and the last reason."""

    score: float | None
    samples: list[float | None]
    reason: str = ""


class LlmJudge:
    """Scores one answer with an OpenAI-compatible model; the client is made on first use."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str | None = None,
        api_key: str | None = None,
        samples: int = 1,
        temperature: float = 0.0,
        seed: int | None = None,
        timeout_s: float = 60.0,
        max_retries: int = 2,
        metrics: Sequence[str] = JUDGE_METRICS,
        prompts_dir: Path = PROMPTS_DIR,
    ) -> None:
        if samples < 1:
            raise ConfigError(f"judge samples must be at least 1, got {samples}")
        unknown = sorted(set(metrics) - set(JUDGE_METRICS))
        if unknown:
            raise ConfigError(f"unknown judge metrics {unknown}; known: {list(JUDGE_METRICS)}")
        self.model = model
        self._base_url = base_url
        self._api_key = api_key
        self._samples = samples
        self._temperature = temperature
        self._seed = seed
        self._timeout_s = timeout_s
        self._max_retries = max_retries
        self.metrics = tuple(metrics)
        self._prompts_dir = prompts_dir

    @cached_property
    def _client(self) -> Any:
        from openai import OpenAI

        return OpenAI(
            base_url=self._base_url,
            api_key=self._api_key or "not-needed",
            timeout=self._timeout_s,
            max_retries=self._max_retries,
        )

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
        scores = [parse_score(reply) for reply in replies]
        known = [score for score in scores if score is not None]
        median = statistics.median(known) if known else None
        return JudgeScore(score=median, samples=scores, reason=parse_reason(replies[-1]))

    def _ask(self, prompt: str) -> str:
        from openai import OpenAIError

        options: dict[str, Any] = {"temperature": self._temperature}
        if self._seed is not None:
            options["seed"] = self._seed
        try:
            completion = self._client.chat.completions.create(
                model=self.model, messages=[{"role": "user", "content": prompt}], **options
            )
        except OpenAIError as exc:
            raise ModelError(f"judge model {self.model!r} failed: {exc}") from exc
        return completion.choices[0].message.content or ""
