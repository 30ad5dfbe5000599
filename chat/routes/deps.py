"""What every router needs: the caller's user id, and the NDJSON formatting of event streams."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Header, HTTPException

from chat.config import USER_HEADER
from chat.security import user_id_from
from ridgeline.errors import RidgelineError

_log = logging.getLogger(__name__)


def current_user(
    user: Annotated[str | None, Header(alias=USER_HEADER)] = None,
) -> str:
    try:
        return user_id_from(user)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


def ndjson(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line; a failure mid-stream becomes a last ``{"error": ...}`` line."""
    try:
        for event in events:
            yield json.dumps(event, ensure_ascii=False) + "\n"
    except RidgelineError as exc:
        _log.warning("chat stream failed: %s", exc)
        yield json.dumps({"error": str(exc)}) + "\n"
    except Exception as exc:
        _log.exception("unexpected error in a chat stream", exc_info=exc)
        yield json.dumps({"error": "internal error: the answer could not be completed"}) + "\n"
