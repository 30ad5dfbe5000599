"""Where a chunk sits, for keeping one search hit per place: a page, a record or a section.

The retriever keeps one hit per place so that ``top`` hits cover ``top`` places. A citation
already names a page (``guide.pdf#page=3``, a slide, a sheet), a catalog record
(``products.csv#id=7``) or a moment of a recording; for a file without pages (Markdown, HTML,
Word, text) it names only the file, so every section of a ten-section manual shares one
citation and only one of them could ever reach the sources. There the section tells places
apart: the parsers store each section's heading path (``"Manual > Care and Cleaning"``) as its
chunks' title. Chunks of one section still share a place, so a section never fills the list twice.

>>> place_of("bag.md", page_number=None, title="Bag > Care")
'bag.md\\x1fBag > Care'
>>> place_of("guide.pdf#page=3", page_number=3, title="Guide")
'guide.pdf#page=3'
"""

from __future__ import annotations

# Joins a citation and a section; a control character no file name or heading holds.
_SEPARATOR = "\x1f"


def place_of(citation: str, *, page_number: int | None, title: str | None) -> str:
    """The place of a chunk: its citation, refined by its section when it has no page.

    A paged chunk's title is its document's (or slide's) title, never finer than its page, so
    it is left out. A chunk without a title (a plain text file) is one place per citation.
    """
    if page_number is not None or not title:
        return citation
    return f"{citation}{_SEPARATOR}{title}"
