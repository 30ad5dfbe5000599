"""How parsed text points at places: figure lines in page text, and time anchors for audio.

Parsers write these and the splitter reads them, so both sides share one definition. Page lines
live in the kernel (:mod:`ridgeline.text_lines`): the retriever writes them too.
"""

from __future__ import annotations

import re

from ridgeline.text_lines import PAGE_LINE as PAGE_LINE
from ridgeline.text_lines import page_marker as page_marker

FIGURE_LINE = re.compile(r"^\[Figure [^\]\n]+\][^\n]*$", re.MULTILINE)


def figure_marker(figure_name: str) -> str:
    """The line that names a figure in its page's text: ``[Figure figure3_1.png]``."""
    return f"[Figure {figure_name}]"


def timestamp_anchor(seconds: float) -> str:
    """``83.4`` -> ``"01:23"``; minutes may exceed 59 (``"75:00"``) to keep one form."""
    whole = max(int(seconds), 0)
    return f"{whole // 60:02d}:{whole % 60:02d}"
