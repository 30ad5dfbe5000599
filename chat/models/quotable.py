"""The sentences of a text chunk that can be quoted as an answer, each with the page it is on.

A chunk is cut from a longer document, so its text is not all quotable prose:

- chunks overlap, so a chunk usually starts inside a sentence that began in the chunk before
  ("hospital after your surgery, your plan will cover..."): that fragment is left out (the
  chunk before holds the whole sentence);
- a sentence that runs over a page break (``[Page N]`` line) is one sentence, cited to the page
  where it starts, not two fragments on two pages;
- headings, chart and table label runs, and the document's own questions ("What is X?") are
  not answers.

Usage::

    text = "ing up.\\nRefunds take 30\\n[Page 4]\\ndays. Call us?"
    list(quotable_sentences(text, "a.pdf#page=3"))
    # [QuotedSentence("Refunds take 30 days.", "a.pdf#page=3")]
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from chat.models.segments import cited_segments
from chat.sentences import is_heading, is_label_run, split_sentences

_SENTENCE_ENDS = (".", "!", "?", ":", ";")


@dataclass(frozen=True)
class QuotedSentence:
    text: str
    citation: str  # the page (or figure) the sentence starts on
    figure: bool = False  # a figure line's words: never cut, so never a chunk-start fragment


def quotable_sentences(content: str, citation: str) -> Iterator[QuotedSentence]:
    """The quotable sentences of a chunk's ``content`` in reading order."""
    sentences = _joined_across_pages(content, citation)
    if sentences and not sentences[0].figure and _starts_inside_sentence(sentences[0].text):
        sentences = sentences[1:]
    for sentence in sentences:
        text = sentence.text
        if is_heading(text) or is_label_run(text) or text.rstrip().endswith("?"):
            continue
        yield sentence


def _joined_across_pages(content: str, citation: str) -> list[QuotedSentence]:
    """Every sentence of ``content`` with its page; one cut by a page break is joined again."""
    sentences: list[QuotedSentence] = []
    continues = False  # whether the last sentence stopped at a page break, unfinished
    for segment in cited_segments(content, citation):
        pieces = split_sentences(segment.text)
        if segment.figure is not None:
            # A figure's words are their own text: nothing runs into or out of them.
            sentences += [QuotedSentence(piece, segment.citation, figure=True) for piece in pieces]
            continues = False
            continue
        if not pieces:
            continue
        if continues and _starts_inside_sentence(pieces[0]):
            last = sentences.pop()
            sentences.append(QuotedSentence(f"{last.text} {pieces.pop(0)}", last.citation))
        sentences += [QuotedSentence(piece, segment.citation) for piece in pieces]
        continues = not sentences[-1].text.rstrip().endswith(_SENTENCE_ENDS)
    return sentences


def _starts_inside_sentence(text: str) -> bool:
    """Text that begins with a lower-case word continues a sentence begun before it."""
    first = text.lstrip()[:1]
    return first.isalpha() and first.islower()
