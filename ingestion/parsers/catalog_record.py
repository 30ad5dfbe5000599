"""One product-catalog record (a CSV row or a JSON object) as one citable page.

Column names are matched case-insensitively. ``id`` gives the record id (else the 1-based row
number); ``name``, ``category``, ``brand`` and ``price`` become typed fields that retrieval can
filter on; image columns become ``ImageAsset``s (files inside the catalog's folder, and web
addresses kept as references; any other reference is dropped); everything else is rendered
into the page text so that it can be searched and quoted.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from ingestion.parsers.linked_images import link_inside
from ridgeline.errors import IngestionError
from ridgeline.types import ChunkKind, ImageAsset, Page

_KNOWN = ("id", "name", "category", "brand", "price", "description")
_IMAGE_WORDS = frozenset({"photo", "photos", "picture", "pictures", "thumbnail"})
_WEB = re.compile(r"^https?://", re.IGNORECASE)
_CURRENCY = re.compile(r"^\s*(?:[$€£]|usd|eur|gbp)?\s*|\s*(?:usd|eur|gbp)?\s*$", re.IGNORECASE)


def is_image_column(column: str) -> bool:
    """``image``, ``images``, ``image_path``, ``imageUrl``, ``photo``... name image columns."""
    key = column.strip().lower()
    return key.startswith("image") or key in _IMAGE_WORDS


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _price(value: object, *, path: Path, row: int) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise IngestionError(path, f"row {row}: price {value!r} is not a number")
    try:
        price = float(value) if isinstance(value, int | float) else _parse_price(str(value))
    except ValueError:
        raise IngestionError(path, f"row {row}: price {value!r} is not a number") from None
    if not math.isfinite(price) or price < 0:
        raise IngestionError(path, f"row {row}: price {value!r} is not a valid amount")
    return price


def _parse_price(text: str) -> float:
    return float(_CURRENCY.sub("", text).replace(",", ""))


def _image_refs(value: object) -> list[str]:
    items = value if isinstance(value, list) else str(value or "").split(";")
    return [str(item).strip() for item in items if item is not None and str(item).strip()]


def _resolve_image(ref: str, folder: Path) -> ImageAsset | None:
    """A web address is kept as a reference (never fetched: ingestion runs offline); a local
    file only when it lies inside the catalog's folder, by the rule linked images follow, so an
    uploaded catalog cannot pull ``/etc/...`` or ``../other-user/figure.png`` into the index."""
    if _WEB.match(ref):
        return ImageAsset(path=ref)
    local = link_inside(ref, folder)
    return ImageAsset(path=str(local)) if local is not None else None


def _display(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _render(fields: Mapping[str, object], description: str | None, extra: dict[str, str]) -> str:
    lines = [str(fields["name"])] if fields["name"] else []
    for label in ("category", "brand"):
        if fields[label]:
            lines.append(f"{label.capitalize()}: {fields[label]}")
    if fields["price"] is not None:
        lines.append(f"Price: ${fields['price']:,.2f}")
    if description:
        lines.append(description)
    lines.extend(f"{column}: {value}" for column, value in extra.items())
    return "\n".join(lines)


def record_page(record: Mapping[str, object], *, row: int, path: Path, source: str) -> Page:
    """The page for one record; ``row`` (1-based) names the record in errors and as fallback id."""
    by_key = {str(column).strip().lower(): value for column, value in record.items()}
    fields: dict[str, str | float | int | None] = {
        "name": _text(by_key.get("name")),
        "category": _text(by_key.get("category")),
        "brand": _text(by_key.get("brand")),
        "price": _price(by_key.get("price"), path=path, row=row),
    }
    images: list[ImageAsset] = []
    extra: dict[str, str] = {}
    for column, value in record.items():
        key = str(column).strip().lower()
        if is_image_column(key):
            resolved = (_resolve_image(ref, path.parent) for ref in _image_refs(value))
            images.extend(asset for asset in resolved if asset is not None)
        elif key not in _KNOWN and value not in (None, "", [], {}):
            extra[str(column).strip()] = _display(value)
    return Page(
        source=source,
        record_id=_text(by_key.get("id")) or str(row),
        text=_render(fields, _text(by_key.get("description")), extra),
        kind=ChunkKind.CATALOG,
        title=_text(fields["name"]),
        fields=fields,
        images=tuple(images),
    )


def record_pages(
    records: Iterable[Mapping[str, object]], *, path: Path, source: str
) -> Iterator[Page]:
    """Pages for all records, refusing duplicate ids (two rows could not be cited apart)."""
    first_row: dict[str, int] = {}
    for row, record in enumerate(records, start=1):
        page = record_page(record, row=row, path=path, source=source)
        record_id = str(page.record_id)
        if record_id in first_row:
            raise IngestionError(
                path, f"rows {first_row[record_id]} and {row} have the same id {record_id!r}"
            )
        first_row[record_id] = row
        yield page
