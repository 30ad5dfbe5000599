"""Offline evaluation of Ridgeline's answers: datasets, targets, metrics, runs, reports.

Example::

    from eval import InProcessTarget, RunOptions, Scorer, load_dataset, run_evaluation

    summary = run_evaluation(load_dataset(path), InProcessTarget(chat), out_dir,
                             scorer=Scorer(k=5), options=RunOptions(concurrency=2, seed=7))
"""

from eval.dataset import DatasetError, QaItem, load_dataset
from eval.records import EvalRow, RunSummary
from eval.runner import RunOptions, run_evaluation
from eval.scoring import Scorer
from eval.targets import HttpTarget, InProcessTarget, Target, TargetResult

__all__ = [
    "DatasetError",
    "EvalRow",
    "HttpTarget",
    "InProcessTarget",
    "QaItem",
    "RunOptions",
    "RunSummary",
    "Scorer",
    "Target",
    "TargetResult",
    "load_dataset",
    "run_evaluation",
]
