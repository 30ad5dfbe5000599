"""How parsed text points at places: figure lines in page text, and time anchors for audio.

Parsers write these and the splitter reads them, so both sides share one definition.
"""

from __future__ import annotations

import re

FIGURE_LINE = re.compile(r"^\[Figure [^\]\n]+\][^\n]*$", re.MULTILINE)


# Where a chunk that runs across a PDF page break crosses onto the next page, so that a sentence
# quoted from it cites the page it is on, not the page the chunk starts on.
PAGE_LINE = re.compile(r"^\[Page (\d+)\]$", re.MULTILINE)


def page_marker(page_number: int) -> str:
    """The line a cross-page chunk carries where page ``page_number`` begins: ``[Page 8]``."""
    return f"[Page {page_number}]"


def figure_marker(figure_name: str) -> str:
    """The line that names a figure in its page's text: ``[Figure figure3_1.png]``."""
    return f"[Figure {figure_name}]"


def timestamp_anchor(seconds: float) -> str:
    """``83.4`` -> ``"01:23"``; minutes may exceed 59 (``"75:00"``) to keep one form."""
    whole = max(int(seconds), 0)
    return f"{whole // 60:02d}:{whole % 60:02d}"
