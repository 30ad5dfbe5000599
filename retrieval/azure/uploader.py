"""Batched index actions with retries, as the service asks clients to do.

Actions go in batches of ``batch_size`` (the service takes at most 1000 or 16 MB per request).
A whole batch is retried on 429/503 (throttling, overload); after a 207, only the actions that
failed with a retryable status (409, 422, 429, 503) are sent again. Waits grow exponentially.
A non-retryable failure, or one that outlives ``max_attempts``, raises ``IndexWriteError``.

    >>> BatchUploader(search_client, batch_size=500).run(actions)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from azure.core.exceptions import HttpResponseError

from retrieval.azure.errors import IndexWriteError

RETRYABLE_STATUS = frozenset({409, 422, 429, 503})
Action = tuple[str, dict[str, Any]]  # ("upload" | "merge" | "mergeOrUpload" | "delete", doc)


class ActionClient(Protocol):
    """The part of ``azure.search.documents.SearchClient`` the uploader uses."""

    def index_documents(self, batch: Any, **kwargs: Any) -> list[Any]: ...


class BatchUploader:
    def __init__(
        self,
        client: ActionClient,
        *,
        key_field: str = "id",
        batch_size: int = 500,
        max_attempts: int = 5,
        first_wait_s: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not 1 <= batch_size <= 1000:
            raise ValueError(f"batch_size must be within 1..1000, got {batch_size}")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
        self._client = client
        self._key_field = key_field
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._first_wait_s = first_wait_s
        self._sleep = sleep

    def run(self, actions: Sequence[Action]) -> None:
        for start in range(0, len(actions), self._batch_size):
            self._send(list(actions[start : start + self._batch_size]))

    def _send(self, pending: list[Action]) -> None:
        for attempt in range(1, self._max_attempts + 1):
            pending = self._attempt(pending, last=attempt == self._max_attempts)
            if not pending:
                return
            self._sleep(self._first_wait_s * 2 ** (attempt - 1))

    def _attempt(self, actions: list[Action], *, last: bool) -> list[Action]:
        """The actions to send again (empty when all succeeded)."""
        try:
            results = self._client.index_documents(_batch(actions))
        except HttpResponseError as exc:
            if exc.status_code in RETRYABLE_STATUS and not last:
                return actions
            raise IndexWriteError(f"the search service refused a batch: {exc.message}") from exc
        by_key = {document[self._key_field]: (kind, document) for kind, document in actions}
        retry: list[Action] = []
        for result in results:
            if result.succeeded:
                continue
            if result.status_code not in RETRYABLE_STATUS or last:
                raise IndexWriteError(
                    f"document {result.key!r} was not written (status {result.status_code}): "
                    f"{result.error_message}"
                )
            retry.append(by_key[result.key])
        return retry


def _batch(actions: Sequence[Action]) -> Any:
    from azure.search.documents import IndexDocumentsBatch

    batch = IndexDocumentsBatch()
    adders = {
        "upload": batch.add_upload_actions,
        "merge": batch.add_merge_actions,
        "mergeOrUpload": batch.add_merge_or_upload_actions,
        "delete": batch.add_delete_actions,
    }
    for kind, document in actions:
        adders[kind]([document])
    return batch
