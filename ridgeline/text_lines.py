"""The line grammar of chunk text that more than one subsystem reads: page lines and lists.

Parsers write ``[Page N]`` lines where a PDF chunk crosses onto another page; the answerer cites
the text after one to page N, and the retriever writes one where it joins a list's rest from the
next chunk onto a passage. Lists are read by the answerer (which quotes a lead-in's items) and
by the retriever (which follows a list into the next chunk): one grammar, so both agree on where
a list goes on.

>>> bool(LIST_ITEM.match("• Ask your doctor first."))
True
>>> wraps("Ask about costs before receiving any", "services.")
True
"""

from __future__ import annotations

import re

# Where a chunk that runs across a PDF page break crosses onto the next page, so that a sentence
# quoted from it cites the page it is on, not the page the chunk starts on.
PAGE_LINE = re.compile(r"^\[Page (\d+)\]$", re.MULTILINE)

# A list item: a bullet or a number, then its text.
LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*)$")
MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+(.*)$")

_SENTENCE_ENDS = (".", "!", "?", ":", ";")
_PROSE_ENDS = (*_SENTENCE_ENDS, ",", ")")
_HEADING_WORDS = 8
_TITLE_WORDS = 16


def page_marker(page_number: int) -> str:
    """The line a cross-page chunk carries where page ``page_number`` begins: ``[Page 8]``."""
    return f"[Page {page_number}]"


def wraps(item: str, line: str) -> bool:
    """Whether ``line`` wraps ``item`` onto the next line: it is indented, starts in lower case,
    or finishes the unfinished item's sentence ("...in-network with Northwind Health" / "Plus.").
    A line such as "Qualifications:" after an unpunctuated item starts something new."""
    text = line.strip()
    if line.startswith((" ", "\t")) or text[:1].islower():
        return True
    return not item.endswith(_SENTENCE_ENDS) and text.endswith((".", "!", "?"))


def is_lead_in(line: str) -> bool:
    """A line that leads a list: it ends in ":" and is no item itself ("Follow these steps:")."""
    return line.rstrip().endswith(":") and not LIST_ITEM.match(line)


def is_heading(sentence: str) -> bool:
    """A heading rather than prose: a markdown heading, or a few capitalised words with no
    end punctuation ("Care and Cleaning", "WARRANTY"), or a longer line in title case."""
    if MARKDOWN_HEADING.match(sentence):
        return True
    words = sentence.split()
    if not words or len(words) > _TITLE_WORDS or sentence.rstrip().endswith(_PROSE_ENDS):
        return False
    capitalised = sum(word[:1].isupper() or not word[:1].isalpha() for word in words)
    if len(words) > _HEADING_WORDS:
        # A longer line is a heading only in title case throughout: "HOW PROVIDERS AFFECT
        # YOUR COSTS: Benefits For Out-Of-Network Or Non-Contracted" (prose has small words).
        return capitalised == len(words)
    return capitalised >= max(1, (len(words) + 1) // 2)
