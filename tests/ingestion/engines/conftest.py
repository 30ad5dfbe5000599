"""The Ray engine tests; their cluster fixture (``ray_cluster``) is in tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
