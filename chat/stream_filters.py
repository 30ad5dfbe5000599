"""Editing an answer while it streams: unknown citations are dropped before they are sent, and
the ``<<follow-up>>`` markup at the end is held back instead of being shown as answer text.

A citation or a marker can be split across deltas, so text from an open ``[`` or ``<`` is held
until it can be judged.

Usage::

    edit = StreamEditor(known={"a.pdf#page=1"})
    shown = edit.feed("Yes [a.pdf#pa") + edit.feed("ge=1] and [b.pdf]") + edit.finish()
    edit.removed, edit.followup_text  # ["b.pdf"], ""
"""

from __future__ import annotations

from collections.abc import Collection

from chat.citations import drop_unknown_citations

# An open bracket that is still unclosed after this many characters is plain text.
_MAX_HELD = 300


class StreamEditor:
    """Feeds on answer deltas, returns what may be shown now."""

    def __init__(self, *, known: Collection[str]) -> None:
        self._known = known
        self._held = ""
        self._in_followups = False
        self.followup_text = ""
        self.removed: list[str] = []

    def feed(self, delta: str) -> str:
        if self._in_followups:
            self.followup_text += delta
            return ""
        text = self._held + delta
        marker = text.find("<<")
        if marker >= 0:
            self._in_followups = True
            self.followup_text = text[marker:]
            text = text[:marker]
        cut = self._hold_point(text)
        self._held = text[cut:]
        return self._checked(text[:cut])

    def finish(self) -> str:
        """What is still held, once the stream has ended."""
        held, self._held = self._held, ""
        return self._checked(held)

    def _hold_point(self, text: str) -> int:
        """Where the unjudgeable tail starts: an unclosed "[" or a lone "<" at the very end."""
        if self._in_followups:
            return len(text)
        bracket = text.rfind("[")
        if bracket >= 0 and "]" not in text[bracket:] and len(text) - bracket < _MAX_HELD:
            # The space before a citation goes with it, so a dropped citation leaves none.
            return len(text[:bracket].rstrip())
        if text.endswith("<"):
            return len(text) - 1
        return len(text)

    def _checked(self, text: str) -> str:
        cleaned, removed = drop_unknown_citations(text, self._known)
        self.removed.extend(r for r in removed if r not in self.removed)
        return cleaned
