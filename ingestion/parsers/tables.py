"""Tables as Markdown: one header row, a separator, one line per row, cells escaped.

Every parser that meets a table (PDF, DOCX, PPTX, XLSX, HTML, Document Intelligence) renders it
with ``markdown_table`` so the splitter can recognise a table by its shape and keep it whole.
"""

from __future__ import annotations

from collections.abc import Sequence

Cell = object


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    text = str(value).replace("\r", " ").replace("\n", " ").strip()
    return text.replace("|", "\\|")


def markdown_table(rows: Sequence[Sequence[Cell]]) -> str:
    """``[["Size", "Weight"], ["S", "1 kg"]]`` -> a Markdown table; "" when no cell has text.

    The first row is the header. Ragged rows are padded so every line has the same columns.
    """
    cleaned = [[_cell(value) for value in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return ""
    width = max(len(row) for row in cleaned)
    padded = [row + [""] * (width - len(row)) for row in cleaned]
    lines = ["| " + " | ".join(padded[0]) + " |", "|" + "---|" * width]
    lines.extend("| " + " | ".join(row) + " |" for row in padded[1:])
    return "\n".join(lines)
