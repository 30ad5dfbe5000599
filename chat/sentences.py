"""Splitting source text into sentences and catalog records into fields.

Usage::

    split_sentences("Returns take 30 days. Call us.")  # ["Returns take 30 days.", "Call us."]
    split_fields("Name: Tent Price: $250.00")  # ["Name: Tent", "Price: $250.00"]
"""

from __future__ import annotations

import re

from ridgeline.text_lines import is_heading as is_heading

# A sentence ends at . ! or ? (optionally followed by closing quotes or brackets) and whitespace,
# when the next sentence starts like one. "$250.00" and "v1.2" never split: no space follows.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')\]]))\s+(?=[\"'(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    {"e.g.", "i.e.", "etc.", "vs.", "mr.", "mrs.", "ms.", "dr.", "no.", "inc.", "ltd.", "fig."}
)
# A line that stands on its own even inside a paragraph: a list item, a heading, a table row,
# or a "Key: value" field.
_STANDALONE_LINE = re.compile(r"^\s*(?:[-*•#|]|\d+[.)]\s|[A-Za-z][\w()-]*(?: [\w()-]+){0,3}:\s)")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)]\s)")
# A capitalised "Key:" alone on its line ("Qualifications:"): the lead-in of a list when it
# follows a finished sentence or a list item; after an unfinished line it ends that sentence
# ("...tips for your coverage with\nNorthwind Health Plus:").
_LEAD_IN_LINE = re.compile(r"^\s*[A-Z][\w()-]*(?: [\w()-]+){0,3}:$")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_LABEL_RUN_TOKENS = 4
_WORDLIKE = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
# A catalog field starts with one capitalised word (or snake_case key) and a colon.
_FIELD_START = re.compile(r"\s+(?=[A-Z][A-Za-z_]*:\s)")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in reading order, whitespace-normalised, empty ones dropped."""
    sentences: list[str] = []
    for block in _blocks(text):
        sentences.extend(_split_block(block))
    return sentences


def is_label_run(sentence: str) -> bool:
    """A run of chart ticks or table labels ("-25% -15% -5% 5% 2014 2015"), not a sentence:
    fewer than half its tokens hold a word of two letters or more."""
    tokens = sentence.split()
    if len(tokens) < _LABEL_RUN_TOKENS:
        return False
    words = sum(bool(_WORDLIKE.search(token)) for token in tokens)
    return words * 2 < len(tokens)


def split_fields(text: str) -> list[str]:
    """The ``Key: value`` fields of a catalog record, one per line or inline one after another."""
    fields: list[str] = []
    for line in text.splitlines():
        fields.extend(part.strip() for part in _FIELD_START.split(line) if part.strip())
    return fields


def _blocks(text: str) -> list[str]:
    """Paragraphs with hard line wraps joined, keeping list items, headings and fields apart."""
    blocks: list[str] = []
    current: list[str] = []
    for line in text.splitlines():
        # A heading line starts a block: after a blank line, or after a finished sentence.
        after_sentence = not current or current[-1].endswith((".", "!", "?", ":"))
        after_item = bool(current) and bool(_LIST_ITEM.match(current[0]))
        if (
            not line.strip()
            or _STANDALONE_LINE.match(line)
            or (after_sentence and _is_heading_line(line))
            or ((after_sentence or after_item) and _LEAD_IN_LINE.match(line))
        ):
            blocks.append(" ".join(current))
            current = []
        if _HEADING.match(line) or (not current and _is_heading_line(line)):
            # A heading never runs into the paragraph under it.
            blocks.append(line)
        elif line.strip():
            current.append(line.strip())
    blocks.append(" ".join(current))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _is_heading_line(line: str) -> bool:
    """A short capitalised line with no end punctuation that starts a paragraph."""
    stripped = line.strip()
    return bool(stripped) and is_heading(stripped) and not stripped.endswith(",")


def _split_block(block: str) -> list[str]:
    pieces = _SENTENCE_END.split(block)
    sentences: list[str] = []
    for piece in pieces:
        if sentences and _ends_with_abbreviation(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def _ends_with_abbreviation(sentence: str) -> bool:
    last_word = sentence.rsplit(maxsplit=1)[-1].lower()
    return last_word in _ABBREVIATIONS


# Labels under which ingestion stores what OCR read in a picture (captioner, image parser).
_READING = re.compile(r"^(?:Visible text|Text in the image|Figure text):\s*(?P<text>.+?)\.?$", re.S)


def is_reading(sentence: str) -> bool:
    """Whether ``sentence`` is what OCR read in a picture ("Text in the image: ...")."""
    return _READING.match(sentence.strip()) is not None


def as_reading(sentence: str) -> str:
    """A machine reading of a picture said as one: "Visible text: TENTS $389.00." becomes
    'The picture reads "TENTS $389.00".', so OCR output is never passed off as prose."""
    found = _READING.match(sentence.strip())
    if found is None:
        return sentence
    words = " ".join(found.group("text").split())
    return f'The picture reads "{words}".'
