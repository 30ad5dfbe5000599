"""Batching and retries of index actions, against a fake client that implements the one SDK
method the uploader calls (``index_documents``) and answers like the service does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError

from retrieval.azure.errors import IndexWriteError
from retrieval.azure.uploader import BatchUploader


@dataclass
class Result:
    key: str
    succeeded: bool
    status_code: int
    error_message: str | None = None


class FlakyClient:
    """Answers each call with the next scripted failure (status per key, or an exception)."""

    def __init__(self, script: list[Any]) -> None:
        self.script = script
        self.calls: list[list[str]] = []

    def index_documents(self, batch: Any, **kwargs: Any) -> list[Result]:
        keys = [action.additional_properties["id"] for action in batch.actions]
        self.calls.append(keys)
        step = self.script.pop(0) if self.script else {}
        if isinstance(step, Exception):
            raise step
        return [Result(k, step.get(k, 200) < 300, step.get(k, 200), "boom") for k in keys]


def _actions(n: int) -> list[tuple[str, dict[str, Any]]]:
    return [("upload", {"id": f"k{i}"}) for i in range(n)]


def _error(status: int) -> HttpResponseError:
    error = HttpResponseError(message=f"status {status}")
    error.status_code = status
    return error


def test_actions_go_in_batches() -> None:
    client = FlakyClient([])
    BatchUploader(client, batch_size=2, sleep=lambda s: None).run(_actions(5))
    assert [len(call) for call in client.calls] == [2, 2, 1]


def test_throttled_batch_is_retried_with_growing_waits() -> None:
    waits: list[float] = []
    client = FlakyClient([_error(503), _error(429), {}])
    BatchUploader(client, first_wait_s=0.5, sleep=waits.append).run(_actions(3))
    assert len(client.calls) == 3
    assert waits == [0.5, 1.0]


def test_only_the_failed_actions_of_a_207_are_retried() -> None:
    client = FlakyClient([{"k1": 503}, {}])
    BatchUploader(client, sleep=lambda s: None).run(_actions(3))
    assert client.calls == [["k0", "k1", "k2"], ["k1"]]


def test_a_permanent_item_failure_names_the_document() -> None:
    client = FlakyClient([{"k2": 400}])
    with pytest.raises(IndexWriteError, match="k2"):
        BatchUploader(client, sleep=lambda s: None).run(_actions(3))


def test_retries_stop_after_max_attempts() -> None:
    client = FlakyClient([_error(503)] * 10)
    with pytest.raises(IndexWriteError):
        BatchUploader(client, max_attempts=3, sleep=lambda s: None).run(_actions(1))
    assert len(client.calls) == 3
