"""Small inline SVG charts (no JavaScript, no external files): histograms and interval bars.

Example::

    histogram([0.1, 0.5, 0.9], title="token_f1", lower=0.0, upper=1.0)  # '<svg ...>...</svg>'
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

_WIDTH, _HEIGHT, _PAD = 260, 140, 24
_COLORS = ("#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2")


def histogram(
    values: Sequence[float],
    *,
    title: str,
    bins: int = 10,
    lower: float | None = None,
    upper: float | None = None,
) -> str:
    """A histogram of ``values`` over ``bins`` equal bins from ``lower`` to ``upper``."""
    low = min(values) if lower is None else lower
    high = max(values) if upper is None else upper
    span = (high - low) or 1.0
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, max(0, int((value - low) / span * bins)))] += 1
    tallest = max(counts) or 1
    inner_w, inner_h = _WIDTH - 2 * _PAD, _HEIGHT - 2 * _PAD
    bar_w = inner_w / bins
    bars = [
        f'<rect x="{_PAD + i * bar_w:.1f}" y="{_PAD + inner_h - count / tallest * inner_h:.1f}" '
        f'width="{bar_w - 1:.1f}" height="{count / tallest * inner_h:.1f}" fill="{_COLORS[0]}">'
        f"<title>{count} rows</title></rect>"
        for i, count in enumerate(counts)
    ]
    axis = (
        f'<text x="{_PAD}" y="{_HEIGHT - 6}" font-size="10">{low:.3g}</text>'
        f'<text x="{_WIDTH - _PAD}" y="{_HEIGHT - 6}" font-size="10" text-anchor="end">'
        f"{high:.3g}</text>"
    )
    return _svg(title, "".join(bars) + axis, subtitle=f"n={len(values)}")


def interval_bars(
    labels: Sequence[str],
    means: Sequence[float | None],
    intervals: Sequence[tuple[float, float] | None],
    *,
    title: str,
) -> str:
    """One bar per run with its confidence interval as a whisker; the scale starts at 0."""
    tops = [hi for pair in intervals if pair for hi in pair] + [m for m in means if m is not None]
    scale = max([*tops, 1e-9])
    inner_w, inner_h = _WIDTH - 2 * _PAD, _HEIGHT - 2 * _PAD
    slot = inner_w / max(len(labels), 1)
    parts = []
    for i, (label, mean, pair) in enumerate(zip(labels, means, intervals, strict=True)):
        x = _PAD + i * slot
        if mean is not None:
            h = mean / scale * inner_h
            parts.append(
                f'<rect x="{x + slot * 0.2:.1f}" y="{_PAD + inner_h - h:.1f}" '
                f'width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{_COLORS[i % len(_COLORS)]}">'
                f"<title>{escape(label)}: {mean:.3f}</title></rect>"
            )
        if pair is not None:
            y1, y2 = (_PAD + inner_h - v / scale * inner_h for v in pair)
            cx = x + slot / 2
            parts.append(
                f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="#111" '
                'stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{_HEIGHT - 6}" font-size="10" '
            f'text-anchor="middle">{escape(label[-14:])}</text>'
        )
    return _svg(title, "".join(parts), subtitle=f"max {scale:.3g}")


def _svg(title: str, body: str, *, subtitle: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{_WIDTH}" '
        f'height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">'
        f'<text x="{_PAD}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>'
        f'<text x="{_WIDTH - _PAD}" y="14" font-size="10" text-anchor="end">'
        f"{escape(subtitle)}</text>{body}</svg>"
    )
