"""Query spelling correction against the words an index actually holds.

BM25 finds nothing for a misspelled word, and the query embedding drifts too, so one typo in a
question costs several points of retrieval quality. A query word that no indexed text contains is
replaced by the closest word that some indexed text does contain, when one is close enough:

    >>> corrector = SpellingCorrector(Vocabulary.from_texts(["The tent is waterproof."]))
    >>> corrector.correct("is the tnet waterpoorf?")
    'is the tent waterproof?'

Closeness is the optimal-string-alignment edit distance (an insertion, deletion, substitution or
swap of two neighbouring letters each count one) with Elasticsearch's ``AUTO`` fuzziness: words of
up to 2 letters are never changed, 3-5 letters allow one edit, longer words two. Among equally
close words the most frequent in the index wins. Words holding digits (sizes, model numbers) and
words the index holds are left alone.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import process
from rapidfuzz.distance import OSA

# Letters and digits, as LanceDB's "simple" tokenizer splits text (RE2 syntax for pyarrow).
_ARROW_SEPARATORS = r"[^\p{L}\p{N}]+"
_WORD = re.compile(r"[^\W_]+")
_MAX_REMEMBERED = 10_000


@dataclass(frozen=True)
class Vocabulary:
    """How often each lower-cased word occurs in an index's text; ``version`` names the snapshot."""

    counts: Mapping[str, int]
    version: int = 0

    @classmethod
    def from_texts(cls, texts: Iterable[str] | pa.Array | pa.ChunkedArray, *, version: int = 0):
        """Count the words of ``texts`` (a string column is tokenized in Arrow, without Python)."""
        if not isinstance(texts, pa.Array | pa.ChunkedArray):
            texts = pa.array(list(texts), type=pa.string())
        if len(texts) == 0:
            return cls(counts={}, version=version)
        words = pc.list_flatten(pc.split_pattern_regex(pc.utf8_lower(texts), _ARROW_SEPARATORS))
        counted = pc.value_counts(words.filter(pc.not_equal(words, ""))).to_pylist()
        return cls(counts={c["values"]: c["counts"] for c in counted}, version=version)

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def __len__(self) -> int:
        return len(self.counts)


@runtime_checkable
class VocabularySource(Protocol):
    """An index that lists the words it holds (LanceDbIndex); a hosted service does not."""

    def vocabulary(self) -> Vocabulary: ...


class VocabularyCache:
    """A vocabulary rebuilt when its source's version changes.

    The version is looked up at most every ``recheck_s`` seconds (a LanceDB version check reads
    the manifest, about half a millisecond): a vocabulary a second late costs no quality, and
    the words it would miss are still found by BM25 itself.

    Counting takes about 0.1 s per 1,000 chunks, so for a large index (``in_background()``
    true) it runs in a thread while queries go on with the previous vocabulary, or with an
    empty one (no correction) until the first count is done.
    """

    def __init__(
        self, *, recheck_s: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._recheck_s = recheck_s
        self._clock = clock
        self._lock = threading.Lock()
        self._vocabulary: Vocabulary | None = None
        self._checked_at = 0.0
        self._counting: threading.Thread | None = None

    def get(
        self,
        *,
        version: Callable[[], int],
        texts: Callable[[], pa.Array | pa.ChunkedArray],
        in_background: Callable[[], bool] = lambda: False,
    ) -> Vocabulary:
        """The cached vocabulary, or one counted from ``texts()`` when ``version()`` moved on."""
        with self._lock:
            now = self._clock()
            cached = self._vocabulary
            if cached is not None and now - self._checked_at < self._recheck_s:
                return cached
            self._checked_at = now
            current = version()
            if cached is not None and cached.version == current:
                return cached
            if not in_background():
                self._vocabulary = Vocabulary.from_texts(texts(), version=current)
                return self._vocabulary
            if self._counting is None or not self._counting.is_alive():
                self._counting = threading.Thread(
                    target=self._count, args=(texts, current), daemon=True
                )
                self._counting.start()
            return cached if cached is not None else Vocabulary(counts={}, version=-1)

    def _count(self, texts: Callable[[], pa.Array | pa.ChunkedArray], version: int) -> None:
        counted = Vocabulary.from_texts(texts(), version=version)
        with self._lock:
            self._vocabulary = counted


def max_edits(word: str) -> int:
    """Elasticsearch's AUTO fuzziness: 0 edits up to 2 letters, 1 up to 5, then 2."""
    if len(word) <= 2:
        return 0
    return 1 if len(word) <= 5 else 2


@dataclass
class SpellingCorrector:
    """Replaces the words of a query that ``vocabulary`` lacks by their closest known word."""

    vocabulary: Vocabulary
    _words: list[str] = field(init=False, repr=False)
    _fixes: dict[str, str] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._words = list(self.vocabulary.counts)

    def correct(self, text: str) -> str:
        """``text`` with each unknown word replaced by its correction (lower-cased)."""
        return _WORD.sub(lambda m: self.correct_word(m.group()), text)

    def correct_word(self, word: str) -> str:
        lowered = word.lower()
        if lowered in self.vocabulary or any(ch.isdigit() for ch in lowered):
            return word
        fixed = self._fixes.get(lowered)
        if fixed is None:
            fixed = self._closest(lowered) or word
            if len(self._fixes) >= _MAX_REMEMBERED:
                self._fixes.clear()  # a long-running server meets unboundedly many typos
            self._fixes[lowered] = fixed
        return fixed

    def _closest(self, word: str) -> str | None:
        edits = max_edits(word)
        if edits == 0 or not self._words:
            return None
        found = process.extract(
            word, self._words, scorer=OSA.distance, score_cutoff=edits, limit=None
        )
        if not found:
            return None
        counts = self.vocabulary.counts
        # Fewest edits first, then the most frequent word, then alphabetical for a stable answer.
        best = min(found, key=lambda f: (f[1], -counts[f[0]], f[0]))
        return best[0]
