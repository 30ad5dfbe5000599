"""Every metric of one answer, as a flat ``{name: value}`` dict. No I/O except the models.

Names: ``citations_matched``, ``image_citations_matched``, ``any_citation``, ``token_f1``,
``rouge_l``, ``semantic_similarity`` (with an embedder), ``answer_length``, ``latency_s``,
``hit_at_{k}``, ``recall_at_{k}``, ``mrr``, ``ndcg_at_{k}``, ``refused``, ``refusal_correct``
(questions that should be refused only), ``groundedness_proxy``, and ``judge_<metric>`` and
``llm_tokens_judge`` (the tokens the judge's calls cost for this answer) with a judge.
Booleans are 0.0/1.0 so every metric averages the same way.

Example::

    scorer = Scorer(embedder=None, k=5)
    metrics, reasons = scorer.score(item, result)
"""

from __future__ import annotations

from typing import Any

from eval import metrics as cite
from eval import retrieval_metrics as ranking
from eval import text_metrics as text
from eval.dataset import QaItem
from eval.groundedness import groundedness_proxy
from eval.judge import LlmJudge
from eval.refusal import is_refusal
from eval.targets import TargetResult
from ridgeline.protocols import TextEmbedder

Metrics = dict[str, float | None]


class Scorer:
    """Scores answers; ``embedder`` and ``judge`` are optional and used when given."""

    def __init__(
        self, *, embedder: TextEmbedder | None = None, judge: LlmJudge | None = None, k: int = 5
    ) -> None:
        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        self.embedder = embedder
        self.judge = judge
        self.k = k

    def describe(self) -> dict[str, Any]:
        return {
            "k": self.k,
            "embedder": getattr(self.embedder, "name", None),
            "judge": self.judge.model if self.judge else None,
            "judge_metrics": list(self.judge.metrics) if self.judge else [],
        }

    def score(self, item: QaItem, result: TargetResult) -> tuple[Metrics, dict[str, str]]:
        """The metrics of an answered question and the judge's reasons (empty without judge)."""
        scores: Metrics = {
            "answer_length": float(cite.answer_length(result.answer)),
            "latency_s": result.latency_s,
            **self._refusal(item, result),
            **self._retrieval(item, result),
        }
        if not scores["refused"]:  # a refusal claims nothing, so there is nothing to ground
            scores["groundedness_proxy"] = groundedness_proxy(result.answer, result.contexts)
        if not item.expect_refusal:
            scores.update(self._answer_vs_truth(item, result))
        reasons: dict[str, str] = {}
        if self.judge is not None:
            judged = self.judge.judge(
                question=item.question,
                answer=result.answer,
                truth="" if item.expect_refusal else item.truth,
                contexts=result.contexts,
            )
            for name, verdict in judged.items():
                scores[f"judge_{name}"] = verdict.score
                reasons[name] = verdict.reason
            # What judging this answer cost, as the endpoint counted it (summed in the summary).
            scores["llm_tokens_judge"] = float(sum(v.tokens for v in judged.values()))
        return scores, reasons

    def _answer_vs_truth(self, item: QaItem, result: TargetResult) -> Metrics:
        scores: Metrics = {
            "citations_matched": cite.citations_matched(
                item.truth_citations, result.answer_citations
            ),
            "image_citations_matched": cite.image_citations_matched(
                item.truth_citations, result.answer_citations
            ),
            "any_citation": float(cite.any_citation(result.answer)),
            "token_f1": text.token_f1(result.answer, item.truth),
            "rouge_l": text.rouge_l(result.answer, item.truth),
        }
        if self.embedder is not None:
            scores["semantic_similarity"] = text.semantic_similarity(
                self.embedder, result.answer, item.truth
            )
        return scores

    def _retrieval(self, item: QaItem, result: TargetResult) -> Metrics:
        gold, found, k = item.retrieval_gold, result.source_citations, self.k
        return {
            f"hit_at_{k}": ranking.hit_at_k(gold, found, k=k),
            f"recall_at_{k}": ranking.recall_at_k(gold, found, k=k),
            "mrr": ranking.reciprocal_rank(gold, found),
            f"ndcg_at_{k}": ranking.ndcg_at_k(gold, found, k=k),
        }

    def _refusal(self, item: QaItem, result: TargetResult) -> Metrics:
        refused = is_refusal(result.answer)
        correct = float(refused) if item.expect_refusal else None
        return {"refused": float(refused), "refusal_correct": correct}
