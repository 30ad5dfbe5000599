"""Ridgeline: multimodal RAG indexing and chat backend (shared kernel)."""

__version__ = "0.1.0"
