"""Builds the reference chat frontend once and caches the build under ``.ridgeline/``.

The frontend folder (read-only, never committed here) is copied to a work folder, installed
with ``npm ci`` from the npm registry and built with ``vite build``. The build lands in
``.ridgeline/reference-frontend/<hash>/static`` where ``<hash>`` covers every file of the
folder, so an unchanged frontend is built once and a changed one is rebuilt.

Usage::

    static_dir = built_frontend(Path("../shared/reference-frontend"))
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CACHE_ROOT = REPO_ROOT / ".ridgeline" / "reference-frontend"
# Installing and building take minutes on a busy two-core machine.
NPM_TIMEOUT_S = 900


class FrontendBuildError(RuntimeError):
    """npm could not install or build the frontend."""


def content_hash(folder: Path) -> str:
    """A SHA-256 over every file's relative path and bytes, in a fixed order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def built_frontend(source: Path, *, cache_root: Path = CACHE_ROOT) -> Path:
    """The folder of the built static files, building them first when not cached."""
    target = cache_root / content_hash(source)
    static = target / "static"
    if (static / "index.html").is_file():
        return static
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontend-", dir=target) as work:
        copy = Path(work) / "frontend"
        shutil.copytree(source, copy)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)  # the source folder is read-only
        staged = Path(work) / "static"
        _npm(["npm", "ci", "--no-audit", "--no-fund"], copy)
        _npm(["npx", "vite", "build", "--outDir", str(staged)], copy)
        try:
            staged.rename(static)  # atomic: a half-built folder is never taken for a build
        except OSError:
            if not (static / "index.html").is_file():
                raise  # not another process having finished the same build first
    return static


def _npm(command: list[str], cwd: Path) -> None:
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=NPM_TIMEOUT_S, check=False
    )
    if done.returncode != 0:
        raise FrontendBuildError(
            f"{' '.join(command)} failed in {cwd} ({done.returncode}):\n{done.stderr[-4000:]}"
        )
