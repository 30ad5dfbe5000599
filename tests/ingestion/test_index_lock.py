"""IndexLock: one writer per index across processes and threads, freed when its holder dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingestion.index_lock import LOCK_FILE, IndexLock
from ridgeline.errors import IndexBusyError

_HOLD = """
import sys, time
from pathlib import Path
from ingestion.index_lock import IndexLock
with IndexLock(Path(sys.argv[1])).held():
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_second_object_is_refused_and_the_first_may_nest(tmp_path: Path) -> None:
    first = IndexLock(tmp_path / "index")
    other = IndexLock(tmp_path / "index")
    busy = pytest.raises(IndexBusyError, match=rf"\(pid {os.getpid()}\)")
    with first.held(), first.held(), busy, other.held(wait_s=0):  # re-entrant for its holder
        pass
    with IndexLock(tmp_path / "index").held(wait_s=0):  # released: free again
        assert (tmp_path / "index" / LOCK_FILE).read_text().strip() == str(os.getpid())


def test_threads_sharing_one_lock_take_turns(tmp_path: Path) -> None:
    lock = IndexLock(tmp_path, wait_s=5)
    inside: list[int] = []
    overlaps: list[int] = []

    def write() -> None:
        with lock.held():
            inside.append(1)
            overlaps.append(len(inside))
            time.sleep(0.05)
            inside.pop()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert overlaps == [1, 1, 1, 1]


def test_a_killed_holder_leaves_the_index_free(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(tmp_path)],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    busy = pytest.raises(IndexBusyError, match=rf"\(pid {holder.pid}\)")
    with busy, IndexLock(tmp_path).held(wait_s=0.1):
        pass

    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)

    with IndexLock(tmp_path).held(wait_s=0):
        pass
