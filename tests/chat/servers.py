"""The chat tests' local server helper (shared with the other test packages)."""

from tests.servers import serve_in_thread

__all__ = ["serve_in_thread"]
