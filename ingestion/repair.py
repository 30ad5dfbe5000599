"""The start-of-run repair of an index damaged by older versions (duplicates, orphaned chunks).

Runs inside :meth:`ingestion.pipeline.IngestionPipeline.run`, under the index lock, after the
journal's repair of interrupted writes. An index backend that can be damaged this way supplies
an :class:`IndexDoctor` (LanceDB: :class:`retrieval.index_repair.LanceIndexDoctor`); each
damaged document is removed through the index's own ``delete_document`` (every row and chunk of
it, duplicates included) and its file, when it still exists, is ingested again in the same run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingestion.discovery import resolved
from ridgeline.protocols import SearchIndex

_log = logging.getLogger(__name__)


class Damage(Protocol):
    """Which documents are damaged, and how."""

    @property
    def documents(self) -> frozenset[str]: ...

    def reason(self, document_id: str) -> str: ...


class IndexDoctor(Protocol):
    """Finds damage in one index (read-only)."""

    def damage(self) -> Damage: ...


@dataclass
class Repairs:
    """What the repair did: one line per removed document, and the files to ingest again."""

    notes: list[str] = field(default_factory=list)
    forced: set[Path] = field(default_factory=set)


def repair_damage(index: SearchIndex, doctor: IndexDoctor) -> Repairs:
    """Remove each damaged document from ``index``; its file is to be ingested again."""
    damage = doctor.damage()
    repairs = Repairs()
    if not damage.documents:
        return repairs
    rows = {document.document_id: document for document in index.list_documents()}
    for document_id in sorted(damage.documents):
        document = rows.get(document_id)
        index.delete_document(document_id)
        name = str(document.path) if document is not None else f"document {document_id}"
        repairs.notes.append(f"{name}: {damage.reason(document_id)}; removed")
        if document is not None and document.path.is_file():
            repairs.forced.add(resolved(document.path))
    _log.warning("repaired a damaged index: %s", "; ".join(repairs.notes))
    return repairs
