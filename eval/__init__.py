"""Offline evaluation of Ridgeline's answers: datasets, targets, metrics and runs.

Example::

    from eval import InProcessTarget, load_dataset, run_evaluation

    summary = run_evaluation(load_dataset(path), InProcessTarget(chat), out_dir)
"""

from eval.dataset import DatasetError, QaItem, load_dataset
from eval.records import EvalRow, EvalSummary
from eval.runner import run_evaluation
from eval.targets import InProcessTarget, Target, TargetResult

__all__ = [
    "DatasetError",
    "EvalRow",
    "EvalSummary",
    "InProcessTarget",
    "QaItem",
    "Target",
    "TargetResult",
    "load_dataset",
    "run_evaluation",
]
