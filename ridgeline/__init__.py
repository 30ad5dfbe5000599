"""Ridgeline: multimodal RAG indexing and chat backend.

The library entry point is :func:`open`::

    import ridgeline

    rl = ridgeline.open(".ridgeline/index")
    rl.ingest(["docs/"])
    print(rl.ask("How long do I have for returns?").output_text)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ridgeline.library import Ridgeline
    from ridgeline.settings import Settings

__version__ = "0.1.0"
__all__ = ["__version__", "open"]


def open(index_dir: str | Path | None = None, *, settings: Settings | None = None) -> Ridgeline:
    """A :class:`ridgeline.library.Ridgeline` over ``index_dir`` with ``/chat``'s defaults."""
    from ridgeline.library import open_index  # imported on use: ``import ridgeline`` stays light

    return open_index(index_dir, settings=settings)
