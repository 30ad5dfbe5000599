"""Constraints said in words become filters: prices, categories and brands.

"tents under $200" -> max_price 200 and category "Tents", when "Tents" is one of the index's
category facet values. Categories and brands are only ever matched against values the index
holds (singular or plural, any case), so a filter can never name something that does not exist.

    >>> found = extract_constraints("a backpack under $200", categories=["Backpacks", "Tents"])
    >>> found.filters
    SearchFilters(include_category='Backpacks', ..., max_price=200.0, ...)
    >>> found.remaining_text
    'a backpack'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict

from retrieval.query.quantities import quantity_ranges
from ridgeline.types import AttributeRange, SearchFilters

ConstraintKind = Literal["min_price", "max_price", "category", "brand", "attribute"]

_AMOUNT = r"\$?\s?(\d+(?:[.,]\d+)?)(?:\s*(?:dollars?|usd|bucks)\b)?"
_CURRENCY = re.compile(r"\$|\b(?:dollars?|usd|bucks)\b", re.IGNORECASE)
# A bare number is a price only where nothing that could be its unit follows: "under 200?" is,
# "under 2 kg" and "at least 4 people" are not.
_BARE_END = re.compile(r"\s*(?:$|[?.!,;:)]|and\b|or\b|for\b|with\b|in\b)", re.IGNORECASE)
_BETWEEN = re.compile(
    rf"\b(?:between|from)\s+{_AMOUNT}\s+(?:and|to)\s+{_AMOUNT}|{_AMOUNT}\s*(?:-|\u2013|to)\s*{_AMOUNT}",
    re.IGNORECASE,
)
_AT_MOST = re.compile(
    r"\b(?:under|below|less than|cheaper than|at most|no more than|up to|max(?:imum)?|"
    rf"not more than|within)\s+{_AMOUNT}|<=?\s*{_AMOUNT}",
    re.IGNORECASE,
)
_AT_LEAST = re.compile(
    r"\b(?:over|above|more than|at least|greater than|starting at|no less than|minimum)\s+"
    rf"{_AMOUNT}|>=?\s*{_AMOUNT}",
    re.IGNORECASE,
)


_DANGLING = {"for", "at", "with", "of", "in", "and", "or", "costing", "priced", "that", "cost"}


class MatchedConstraint(BaseModel):
    """One constraint found in the text: what it sets, to what, and the words that said so."""

    model_config = ConfigDict(frozen=True)

    kind: ConstraintKind
    value: str | float
    text: str
    # Set for kind "attribute": the range in the attribute's canonical unit.
    range: AttributeRange | None = None


class Constraints(BaseModel):
    """What :func:`extract_constraints` found, and the query text without the price phrases."""

    model_config = ConfigDict(frozen=True)

    matched: tuple[MatchedConstraint, ...] = ()
    remaining_text: str

    @property
    def filters(self) -> SearchFilters | None:
        values: dict[str, object] = {
            c.kind if c.kind != "category" else "include_category": c.value
            for c in self.matched
            if c.kind != "attribute"
        }
        ranges = tuple(c.range for c in self.matched if c.range is not None)
        if not values and not ranges:
            return None
        # A product type or brand named in words narrows the catalog rows only: documents
        # without a category or brand (the manuals about those products) stay searchable.
        values["keep_unlabelled"] = bool({"include_category", "brand"} & values.keys())
        if ranges:
            values["attribute_ranges"] = ranges
        return SearchFilters.model_validate(values)


def extract_constraints(
    text: str, *, categories: Sequence[str] = (), brands: Sequence[str] = ()
) -> Constraints:
    """Prices, quantities with units, a category and a brand from ``text``; price and quantity
    phrases are cut from the text query
    (their words only add noise to BM25 and to the embedding), names are kept (they help)."""
    matched, remaining = _price_constraints(text)
    for bound, words in quantity_ranges(remaining):
        value = bound.max if bound.max is not None else bound.min
        matched.append(
            MatchedConstraint(kind="attribute", value=value or 0.0, text=words, range=bound)
        )
        if bound.name != "persons":  # "for 4 people" helps the search find four-person tents
            remaining = _tidy(remaining.replace(words, " ", 1))
    category = match_facet_value(text, categories)
    if category is not None:
        matched.append(MatchedConstraint(kind="category", value=category[0], text=category[1]))
    brand = match_facet_value(text, brands)
    if brand is not None:
        matched.append(MatchedConstraint(kind="brand", value=brand[0], text=brand[1]))
    return Constraints(matched=tuple(matched), remaining_text=remaining or text)


def without_prices(text: str) -> str:
    """``text`` with its price phrases cut, possibly empty ("under $50?" -> "")."""
    return _price_constraints(text)[1]


def _price_constraints(text: str) -> tuple[list[MatchedConstraint], str]:
    found: list[MatchedConstraint] = []
    searches: tuple[tuple[re.Pattern[str], tuple[ConstraintKind, ...]], ...] = (
        (_BETWEEN, ("min_price", "max_price")),
        (_AT_MOST, ("max_price",)),
        (_AT_LEAST, ("min_price",)),
    )
    for pattern, kinds in searches:
        for match in list(pattern.finditer(text)):
            if not _is_price(match, text) or any(c.kind in kinds for c in found):
                continue
            amounts = sorted(_amount(g) for g in match.groups() if g is not None)
            bounds = (amounts[0], amounts[-1]) if len(kinds) == 2 else (amounts[0],)
            for kind, value in zip(kinds, bounds, strict=True):
                found.append(MatchedConstraint(kind=kind, value=value, text=match.group(0).strip()))
            text = text.replace(match.group(0), " ", 1)
    return found, _tidy(text)


def _tidy(text: str) -> str:
    """Spaces collapsed, and no dangling "for"/"at"... left where a price phrase was cut."""
    words = text.split()
    while words and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).replace(" ?", "?").strip(" ,;")


_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_price(match: re.Match[str], text: str) -> bool:
    if _CURRENCY.search(match.group(0)):
        return True
    years = [g for g in match.groups() if g is not None]
    if years and all(_YEAR.fullmatch(g) for g in years):
        return False  # "from 2018 to 2022", "up to 2028": years, not prices
    return bool(_BARE_END.match(text, match.end()))


def _amount(raw: str) -> float:
    # "1,200" is a thousands separator; "19,99" a decimal comma.
    if "," in raw:
        whole, _, fraction = raw.partition(",")
        raw = whole + fraction if len(fraction) == 3 else f"{whole}.{fraction}"
    return float(raw)


def _singular(word: str) -> str:
    for suffix, replacement in (("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("sses", "ss")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + replacement
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _words(text: str) -> list[str]:
    return [_singular(w) for w in re.findall(r"[a-z0-9]+", text.lower())]


def match_facet_value(text: str, values: Sequence[str]) -> tuple[str, str] | None:
    """The facet value named in ``text`` (longest name first) and the words that named it.

    "two backpacks" matches "Backpacks"; "hiking footwear" matches "Hiking Footwear". A value
    of several words matches only when all its words appear together, in order; a value's last
    word alone matches too, or its end ("a pack" names "Backpacks"), when no other value ends so.
    """
    words = _words(text)
    for value in sorted(values, key=lambda v: (-len(_words(v)), v)):
        found = _find(words, _words(value))
        if found is not None:
            return value, _original_words(text, found, len(_words(value)))
    # Then by head noun alone ("stoves" -> "Camping Stoves"), when only one value has it.
    heads: dict[str, list[str]] = {}
    for value in values:
        if _words(value):
            heads.setdefault(_words(value)[-1], []).append(value)
    for head, owners in sorted(heads.items()):
        found = _find(words, [head])
        if found is None:  # the last part of a compound head: "pack" names "Backpacks"
            found = next(
                (i for i, w in enumerate(words) if _ends_compound(head, w) and _noun_at(words, i)),
                None,
            )
        if found is not None and len(owners) == 1:
            return owners[0], _original_words(text, found, 1)
    return None


# Words after which the next word is a verb: "what should I wear" names no footwear.
_BEFORE_A_VERB = frozenset(
    {"i", "you", "we", "they", "to", "should", "can", "could", "would", "will", "do", "does", "did"}
)


def _noun_at(words: list[str], index: int) -> bool:
    return index == 0 or words[index - 1] not in _BEFORE_A_VERB


# Both parts of a compound head are words of their own ("back" + "pack"); "clothing" is not
# "clo" + "thing".
_MIN_COMPOUND_PART = 4


def _ends_compound(head: str, word: str) -> bool:
    """Whether ``word`` is the last part of the compound ``head`` ("pack" of "backpack")."""
    first = len(head) - len(word)
    return len(word) >= _MIN_COMPOUND_PART <= first and head.endswith(word)


def _find(words: list[str], wanted: list[str]) -> int | None:
    if not wanted:
        return None
    for start in range(len(words) - len(wanted) + 1):
        if words[start : start + len(wanted)] == wanted:
            return start
    return None


def _original_words(text: str, start: int, count: int) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower())[start : start + count])


def relaxed_prices(
    merged: SearchFilters | None, planned: SearchFilters | None, asked: SearchFilters | None
) -> SearchFilters | None:
    """``merged`` without the price bounds and attribute ranges the question's words set
    (``planned``), keeping those the caller's own filters (``asked``) set; ``None`` when there
    is nothing to relax.

    A budget or a measure that leaves no result is relaxed so the answer can name the closest
    option and say what it misses; a filter the caller set by name is never widened.
    """
    if merged is None or planned is None:
        return None
    update: dict[str, object] = {}
    priced = (planned.min_price, planned.max_price) != (None, None)
    if priced and (asked is None or (asked.min_price, asked.max_price) == (None, None)):
        update.update(min_price=None, max_price=None)
    kept = {r.name for r in asked.attribute_ranges} if asked is not None else set()
    dropped = {r.name for r in planned.attribute_ranges} - kept
    if dropped:
        update["attribute_ranges"] = tuple(
            r for r in merged.attribute_ranges if r.name not in dropped
        )
    return merged.model_copy(update=update) if update else None
