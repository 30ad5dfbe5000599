"""The HTML reports: self-contained, and rendered by a real headless Chromium (Debian's
``chromium`` package) which takes a screenshot and dumps the DOM after the inline script ran."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from eval.compare import compare_rows
from eval.records import EvalRow
from eval.report.html import comparison_report, run_report
from eval.summary import summarize

CHROMIUM = "/usr/bin/chromium"

pytestmark = pytest.mark.browser


def _rows(tmp_path: Path) -> list[EvalRow]:
    photo = tmp_path / "tent.png"
    Image.new("RGB", (300, 200), (20, 120, 60)).save(photo)
    return [
        EvalRow(
            key=f"k{i}",
            question=f"Question {i} <about tents>?",
            truth=f"Truth {i}.[r.pdf#page={i}]",
            answer=f"Answer {i}.[r.pdf#page={i}]",
            source_citations=[f"r.pdf#page={i}", "r.pdf#page=9(figure9_1.png)"],
            images=[str(photo)],
            image=str(photo) if i == 0 else None,
            latency_s=0.1 * (i + 1),
            metrics={"token_f1": i / 5, "hit_at_5": float(i % 2), "judge_relevance": 1.0 + i % 5},
        )
        for i in range(6)
    ]


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which(CHROMIUM) is None:
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) "
            "to check the HTML reports in a real browser"
        )
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run(
        [CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=90, check=True
    )


def test_a_run_report_is_self_contained(tmp_path: Path):
    rows = _rows(tmp_path)
    page = run_report(rows, summarize(rows), {"target": {"kind": "in-process"}}, title="Run A")
    assert "&lt;about tents&gt;" in page  # text is escaped
    assert not re.search(r"""(src|href)=["']https?://""", page)  # no CDN, no remote file
    assert page.count("<svg") == 3  # one histogram per metric
    assert page.count("data:image/jpeg;base64,") == 7  # six retrieved thumbnails, one query image


@pytest.mark.integration
def test_the_run_report_renders_in_headless_chromium(tmp_path: Path):
    rows = _rows(tmp_path)
    report = tmp_path / "report.html"
    report.write_text(run_report(rows, summarize(rows), {}, title="Run A"), encoding="utf-8")
    screenshot = tmp_path / "report.png"

    _chromium(
        f"--screenshot={screenshot}",
        "--window-size=1200,900",
        report.as_uri(),
        profile=tmp_path / "p1",
    )
    dom = _chromium("--dump-dom", report.as_uri(), profile=tmp_path / "p2").stdout

    with Image.open(screenshot) as shot:
        assert shot.size == (1200, 900)
        assert max(ImageStat.Stat(shot.convert("L")).stddev) > 10  # not a blank page
    assert '<span id="shown">6</span>' in dom  # the inline script ran
    assert 'id="summary"' in dom and "token_f1" in dom and "<svg" in dom


@pytest.mark.integration
def test_the_comparison_report_renders_in_headless_chromium(tmp_path: Path):
    first = _rows(tmp_path)
    second = [
        row.model_copy(update={"answer": "Other.", "metrics": {"token_f1": 1.0}}) for row in first
    ]
    page = comparison_report(
        compare_rows(["runs/a", "runs/b"], [first, second], seed=0), title="A vs B"
    )
    report = tmp_path / "compare.html"
    report.write_text(page, encoding="utf-8")

    _chromium(f"--screenshot={tmp_path / 'compare.png'}", report.as_uri(), profile=tmp_path / "p")
    assert (tmp_path / "compare.png").stat().st_size > 1000
    # token_f1 differences 1, .8, .6, .4, .2, 0: only the all-same-sign patterns of the five
    # non-zero ones are as extreme, times 2 for the zero -> exact p 4/64
    assert "p=0.0625" in page
    assert page.count('class="row"') == 6  # every answer changed
