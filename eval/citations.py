"""Find citations in answer and truth texts, and reduce them to keys that can be compared.

A citation is a bracketed source reference in the chat protocol's convention:
``[file.pdf#page=7]``, ``[file.pdf#page=7(figure1_2.png)]``, ``[products.csv#id=3]``,
``[notes.md]``. One bracket holds one reference. Brackets whose content does not name a file with
an extension (``[1]``, ``[sic]``, ``[see above]``) are prose, not citations, and are ignored.

Two comparison levels exist on purpose:

- :func:`citation_key` keeps everything that identifies the cited thing, figure included; an
  answer's citation *matches* the truth's only if both keys are equal.
- :func:`page_key` drops the figure part, so a figure on page 7 counts as page 7; retrieval hits
  are judged at this level, because a retrieved figure of the right page did find that page.

File names are compared case-sensitively, as file systems and the index store them.

Example::

    >>> extract_citations("Costs vary.[a.pdf#page=7][1][a.pdf#page=7(figure1_2.png)]")
    ['a.pdf#page=7', 'a.pdf#page=7(figure1_2.png)']
    >>> page_key("a.pdf#page=7(figure1_2.png)")
    'a.pdf#page=7'
"""

from __future__ import annotations

import re

# A file name with an extension that starts with a letter (so "[v1.2]" is prose; spaces are allowed
# inside, as real file names have them), then an optional anchor (#page=7, #id=3) with an
# optional figure part in parentheses.
_CITATION = re.compile(
    r"\[\s*(?P<ref>[^\[\]\n#]*?\.[A-Za-z][A-Za-z0-9]{0,7}(?:#[^\[\]\s(]+(?:\([^\[\]()\n]*\))?)?)\s*\]"
)
_FIGURE_SUFFIX = re.compile(r"\([^()]*\)$")


def extract_citations(text: str) -> list[str]:
    """The citation references in ``text``, in order of first appearance, without duplicates.

    Duplicates are judged on :func:`citation_key`, so ``[a.pdf#page=1]`` and ``[ a.pdf#page=1 ]``
    count once; the returned strings are the normalised keys.
    """
    seen: dict[str, None] = {}
    for match in _CITATION.finditer(text):
        seen.setdefault(citation_key(match.group("ref")), None)
    return list(seen)


def citation_key(ref: str) -> str:
    """The exact-match key of a reference: the reference without surrounding whitespace."""
    return ref.strip()


def page_key(ref: str) -> str:
    """The page-level key: :func:`citation_key` without a trailing figure part ``(figure...)``.

    References without a figure part (catalog rows, plain files) are their own page key.
    """
    key = citation_key(ref)
    if "#" not in key:
        return key
    return _FIGURE_SUFFIX.sub("", key).rstrip()


def figure_name(ref: str) -> str | None:
    """The figure part of a reference (``"figure1_2.png"``), or ``None`` when it has none."""
    key = citation_key(ref)
    match = _FIGURE_SUFFIX.search(key) if "#" in key else None
    return match.group(0)[1:-1].strip() if match else None


def strip_citations(text: str) -> str:
    """``text`` without its citation brackets, so scoring compares words, not references."""
    return _CITATION.sub(" ", text)
