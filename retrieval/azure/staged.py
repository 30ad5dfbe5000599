"""New documents' chunks uploaded by workers, their records committed by the index's writer.

A Ray embedding actor uploads the chunks of its batch's new documents itself
(:meth:`AzureStager.stage`); the driver then uploads their document records
(:meth:`retrieval.azure.search_index.AzureSearchIndex.commit_staged`). Readers list documents
(the chat's retriever keeps hits of listed documents only), so a chunk is found once its
record is there; chunks of a batch that is never committed stay unlisted, and the commit of a
later run deletes any chunk of the document that its new upload did not write.

    >>> staged = index.stager().stage(new_documents)   # on a worker: chunk uploads
    >>> index.commit_staged(staged)                   # on the driver: document records
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ridgeline.types import NewDocument

if TYPE_CHECKING:
    from retrieval.azure.search_index import AzureSearchIndex


@dataclass(frozen=True)
class StagedUpload:
    """Chunks uploaded for new documents whose records are not uploaded yet."""

    document_ids: tuple[str, ...]
    records: tuple[dict[str, Any], ...]  # the document records, uploaded at the commit
    chunk_keys: tuple[tuple[str, ...], ...]  # per document, the chunk keys uploaded


@dataclass(frozen=True)
class AzureStager:
    """Uploads new documents' chunks from a worker (picklable: an index not yet connected)."""

    index: AzureSearchIndex

    def stage(self, documents: Sequence[NewDocument]) -> StagedUpload:
        return self.index.upload_chunks(documents)
