"""Read a 1-5 score out of a judge model's reply, whatever shape the model chose.

Accepted, in this order: a JSON object with ``score`` or ``rating`` (also inside a code fence or
surrounded by prose), ``Score: 4`` / ``Rating = 4.5`` / ``**Score:** 4``, ``4/5`` or ``4 out of
5``, and a reply that is only a number. Values outside 1..5 are rejected, not clamped: a model that
answers "7" did not follow the scale, and guessing what it meant would bias the mean.

Example::

    parse_score('{"score": 4, "reason": "ok"}')  # 4.0
    parse_score("I'd say 3/5.")  # 3.0
    parse_score("no idea")  # None
"""

from __future__ import annotations

import json
import re

_JSON_OBJECT = re.compile(r"\{[^{}]*\}", re.DOTALL)
_LABELLED = re.compile(r"\b(?:score|rating)\b\W{0,6}(\d+(?:\.\d+)?)", re.IGNORECASE)
_FRACTION = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:/|out of)\s*5\b", re.IGNORECASE)
_BARE = re.compile(r"^\W*(\d+(?:\.\d+)?)\W*$")


def parse_score(reply: str) -> float | None:
    """The score in ``reply`` as a float in 1..5, or ``None`` when none can be found."""
    for finder in (_from_json, _from_pattern):
        value = finder(reply)
        if value is not None:
            return value if 1.0 <= value <= 5.0 else None
    return None


def parse_reason(reply: str) -> str:
    """The ``reason`` of a JSON reply, or the reply itself, shortened to one line."""
    for match in _JSON_OBJECT.finditer(reply):
        data = _load(match.group(0))
        reason = data.get("reason")
        if isinstance(reason, str):
            return reason.strip()
    return " ".join(reply.split())[:300]


def _from_json(reply: str) -> float | None:
    for match in _JSON_OBJECT.finditer(reply):
        data = _load(match.group(0))
        for key in ("score", "rating"):
            value = data.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str) and (bare := _BARE.match(value)):
                return float(bare.group(1))
    return None


def _from_pattern(reply: str) -> float | None:
    for pattern in (_LABELLED, _FRACTION, _BARE):
        match = pattern.search(reply.strip())
        if match:
            return float(match.group(1))
    return None


def _load(text: str) -> dict[str, object]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}
