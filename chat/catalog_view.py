"""A catalog CSV as a small HTML page, so that a catalog-row citation (``products.csv#id=7``)
opens as that row rather than as the raw file (which a browser frame would download).

Browsers never send the ``#id=7`` of a citation to the server, so the page holds every row,
each with the anchor ``id=<record id>``, and its style shows only the targeted row when the URL
has one (``/content/products.csv#id=7``) and the whole table otherwise. ``rows_html(path,
only="7")`` (``/content/products.csv?id=7``) holds that row alone.

The page is generated here, every value escaped, with no script: it is safe to serve as
``text/html`` even though the catalog's cells come from an ingested file.

Usage::

    html = rows_html(Path("docs/products.csv"), only="7")
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

from ridgeline.errors import RidgelineError

# Shows the targeted row alone when there is one (Chromium, Firefox and Safari support :has).
_STYLE = (
    "body{font:14px system-ui,sans-serif;margin:12px}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;"
    "text-align:left;vertical-align:top}"
    "table:has(tr:target) tbody tr:not(:target){display:none}"
    "tr:target{background:#eef3ff}"
)
# A Content-Security-Policy for the page: no script, nothing loaded from anywhere.
CATALOG_VIEW_CSP = "default-src 'none'; style-src 'unsafe-inline'"


class NoSuchRowError(RidgelineError):
    """The catalog has no row with the asked id."""


def is_catalog_file(path: Path) -> bool:
    return path.suffix.lower() == ".csv"


def rows_html(path: Path, *, only: str | None = None) -> str:
    """The catalog at ``path`` as an HTML table; ``only``: the row with that record id alone."""
    with path.open(newline="", encoding="utf-8-sig", errors="replace") as source:
        reader = csv.DictReader(source)
        columns = list(reader.fieldnames or [])
        rows = [(_record_id(row, number), row) for number, row in enumerate(reader, start=1)]
    if only is not None:
        rows = [(record_id, row) for record_id, row in rows if record_id == only]
        if not rows:
            raise NoSuchRowError(f"{path.name} has no row with id {only!r}")
    title = path.name if only is None else f"{path.name}#id={only}"
    head = "".join(f"<th>{html.escape(column)}</th>" for column in columns)
    body = "".join(
        f'<tr id="id={html.escape(record_id, quote=True)}">'
        + "".join(f"<td>{html.escape(row.get(column) or '')}</td>" for column in columns)
        + "</tr>"
        for record_id, row in rows
    )
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>"
    )


def _record_id(row: dict[str, str], number: int) -> str:
    """The row's ``id`` column (any case) as ingestion reads it, else its 1-based number."""
    for column, value in row.items():
        if column is not None and column.strip().lower() == "id" and (value or "").strip():
            return value.strip()
    return str(number)
