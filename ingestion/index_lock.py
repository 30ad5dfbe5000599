"""One writer at a time on an index: an exclusive ``flock`` on ``<index dir>/ingest.lock``.

Two ``ridgeline ingest`` runs on one index used to both exit 0 and leave a document twice and
hundreds of duplicate chunk ids (each run appended the new files it saw). Every writer of an
index now holds this lock: a CLI run for the whole run (refusing at once when it is taken), an
upload for its one file (waiting up to ``wait_s``). The operating system drops the lock when
its process ends, ``kill -9`` included, so a crashed run never leaves the index locked. The
file holds the holder's pid, to name it in the error. POSIX only (``fcntl``).

    >>> lock = IndexLock(Path(".ridgeline/index"), wait_s=20)
    >>> with lock.held(wait_s=0):   # raises IndexBusyError naming the other writer's pid
    ...     pipeline_writes()
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ridgeline.errors import IndexBusyError

LOCK_FILE = "ingest.lock"
_POLL_S = 0.05


class IndexLock:
    """The writer lock of the index in ``directory``."""

    def __init__(self, directory: Path, *, wait_s: float = 0.0) -> None:
        self.directory = Path(directory)
        self.path = self.directory / LOCK_FILE
        self.wait_s = wait_s
        self._fd: int | None = None
        self._depth = 0
        self._threads = threading.RLock()

    @contextmanager
    def held(self, *, wait_s: float | None = None) -> Iterator[None]:
        """Hold the lock inside the block; wait up to ``wait_s`` (default: the lock's own)
        for another writer, then raise :class:`IndexBusyError`. Threads sharing this object
        take turns too (re-entrant per thread)."""
        wait = max(self.wait_s if wait_s is None else wait_s, 0.0)
        deadline = time.monotonic() + wait
        if not self._threads.acquire(timeout=wait):
            raise IndexBusyError(self.directory, os.getpid())
        try:
            if self._depth == 0:
                self._acquire(max(deadline - time.monotonic(), 0.0))
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self._release()
        finally:
            self._threads.release()

    def _acquire(self, wait_s: float) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(wait_s, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise IndexBusyError(self.directory, holder) from None
                time.sleep(_POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd

    def _release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the flock


def _holder(fd: int) -> int | None:
    """The pid the holder wrote, or None (it may have taken the lock a moment ago)."""
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None
