"""Shared fixtures. The network is blocked for every test except loopback addresses."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ridgeline.plugins.registry import PluginRegistry, plugin_registry
from tests.fakes import HashingEmbedder

# The name under which tests register the fast hashing embedder (384-d, like MiniLM).
HASHING = "hashing"

_real_connect = socket.socket.connect


def _is_loopback(address: object) -> bool:
    if isinstance(address, str):  # AF_UNIX path
        return True
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise RuntimeError(f"tests may not reach the network (tried {address!r})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _block_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    yield


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """A real local Ray cluster of two CPUs, started once (about 10 s) for the engine tests."""
    import ray

    # Workers import test components (tests.*) by name: they need the repository on their path.
    repo = str(Path(__file__).resolve().parents[1])
    paths = [repo, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    ray.init(
        num_cpus=2,
        num_gpus=1,  # a logical GPU (Ray counts resources, it does not probe them): GPU actors
        include_dashboard=False,
        log_to_driver=False,
        runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(paths)}},
    )
    yield ray
    ray.shutdown()


@pytest.fixture
def hashing_embedder() -> HashingEmbedder:
    return HashingEmbedder()


@pytest.fixture
def plugins() -> Iterator[PluginRegistry]:
    """The process's plugin registry; what a test registers in it is removed afterwards."""
    with plugin_registry().scoped() as registry:
        yield registry


@pytest.fixture
def hashing_plugin(plugins: PluginRegistry) -> str:
    """Registers the hashing embedder as text embedder ``hashing``; returns that name.

    Use it as ``Settings(text_embedder=hashing_plugin)`` or ``RIDGELINE_TEXT_EMBEDDER``.
    """
    plugins.text_embedders.register(HASHING, lambda settings: HashingEmbedder(dimension=384))
    return HASHING


@pytest.fixture(scope="session")
def real_embedder():  # type: ignore[no-untyped-def]
    """The packaged all-MiniLM-L6-v2, loaded once for the whole session."""
    from ridgeline.providers.embedder import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI, a skipped test is a failure: nothing may be silently skipped there."""
    if not os.environ.get("CI"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if reporter:
            reporter.write_line(f"CI forbids skipped tests: {len(skipped)} skipped", red=True)
