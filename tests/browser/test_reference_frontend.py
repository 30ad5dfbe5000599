"""The reference chat frontend (azure-search-openai-demo's ``app/frontend``, unchanged) against
the app ``ridgeline serve`` runs, in Debian's Chromium: a streamed cited answer, a citation in
the panel through ``/content``, the thought process with its token counts, supporting-content
images, follow-up questions, and non-streaming mode.

The frontend is built once by npm (registry only) and cached under ``.ridgeline/`` (see
frontend_build.py); the built files are served by the same app, on the same origin, as
``ridgeline serve --frontend DIR`` does. The corpus is the demo catalog's first rows with their
pictures and one product manual, ingested by the real pipeline into LanceDB.

The one shim: Chromium 150+ returns a Promise from ``Element.scrollIntoView()``, and two
``useEffect`` callbacks of the frontend's Chat.tsx return that value, which React then calls
as a cleanup ("destroy is not a function"). The init script below makes ``scrollIntoView``
return ``undefined`` as it used to (the frontend's ABOUT.md describes this quirk). Nothing else
of the frontend is changed.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chat.models.streaming import sentence_pieces
from examples.build_demo import build_demo
from ridgeline.cli import wiring
from ridgeline.plugins.registry import plugin_registry
from ridgeline.settings import Settings
from tests.browser.frontend_build import REPO_ROOT, built_frontend
from tests.chat.test_page import LAUNCH_FLAGS, chromium_path
from tests.fakes import HashingEmbedder
from tests.servers import serve_in_thread

# A first build (npm ci + vite build) takes up to a few minutes on two busy cores.
pytestmark = [
    pytest.mark.integration,
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.timeout(900),
]

FRONTEND_SOURCE = Path(
    os.environ.get("RIDGELINE_REFERENCE_FRONTEND", REPO_ROOT.parent / "shared/reference-frontend")
)
SCROLL_SHIM = """
(() => {
  const original = Element.prototype.scrollIntoView;
  Element.prototype.scrollIntoView = function (...args) { original.apply(this, args); };
})();
"""
# Where the screenshots are kept for people to look at.
SHOTS_DIR = REPO_ROOT / ".ridgeline" / "browser-shots"
CATALOG_ROWS = 8
ANSWER_TIMEOUT_MS = 60_000


@dataclass
class Served:
    base_url: str
    root: Path


def _corpus(root: Path) -> Path:
    """The demo catalog's first rows (with their pictures) and the tent's manual."""
    demo = root / "demo"
    build_demo(demo)
    docs = root / "docs"
    (docs / "images").mkdir(parents=True)
    with (demo / "catalog" / "products.csv").open(newline="") as source:
        rows = list(csv.DictReader(source))[:CATALOG_ROWS]
    with (docs / "products.csv").open("w", newline="") as target:
        writer = csv.DictWriter(target, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    for row in rows:
        shutil.copy(demo / "catalog" / row["image"], docs / row["image"])
    shutil.copy(demo / "manuals" / "ptarmigan2_tent_manual.md", docs)
    return docs


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not (FRONTEND_SOURCE / "package.json").is_file():
        pytest.fail(
            f"the reference frontend is not at {FRONTEND_SOURCE}: set RIDGELINE_REFERENCE_FRONTEND "
            "to its folder (../shared/reference-frontend in the project's checkout)",
            pytrace=False,
        )
    static = built_frontend(FRONTEND_SOURCE)
    root = tmp_path_factory.mktemp("reference-frontend")
    docs = _corpus(root)
    with plugin_registry().scoped() as registry:
        registry.text_embedders.register("hashing", lambda _: HashingEmbedder(dimension=384))
        settings = Settings(
            index_dir=root / "index",
            chat_data_dir=root / "chat",
            text_embedder="hashing",
            image_embedder="none",
            # A vision model is declared, so the frontend shows its multimodal options and
            # asks for image sources: the supporting content then carries the pictures.
            chat_vision=True,
            frontend_dir=static,
        )
        index = wiring.build_index(settings)
        wiring.build_pipeline(settings, index).run([docs])
        app = wiring.build_chat_app(settings, index)
        with serve_in_thread(app) as base_url:
            yield Served(base_url=base_url, root=root)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=chromium_path(),
            headless=True,
            args=LAUNCH_FLAGS,
            viewport={"width": 1400, "height": 1000},
        )
        context.set_default_timeout(20_000)
        context.add_init_script(SCROLL_SHIM)
        yield context
        context.close()


class PageLog:
    """Console errors, page errors and failed same-origin requests seen by a page."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.errors: list[str] = []
        self.streams: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("response", self._response)
        self._base_url = base_url

    def _response(self, response: Any) -> None:
        if response.url.startswith(self._base_url) and response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")
        if response.url.endswith("/chat/stream"):
            self.streams.append(response.text())


def shoot(page: Any, name: str) -> None:
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS_DIR / f"{name}.png"), full_page=True)


def ask(page: Any, question: str, *, answers: int) -> None:
    """Types and sends a question; returns the ``answers``-th answer once it is complete."""
    box = page.get_by_placeholder("Type a new question (e.g. does my plan cover annual eye exams?)")
    box.fill(question)
    box.press("Enter")
    page.get_by_text("Citation:").nth(answers - 1).wait_for(timeout=ANSWER_TIMEOUT_MS)
    answer_done(page, answers)


def answer_done(page: Any, answers: int) -> None:
    """Waits until the ``answers``-th answer is complete: its buttons are disabled while it
    streams (the element is replaced when the stream ends, so the locator is re-queried)."""
    from playwright.sync_api import expect

    thoughts = page.get_by_title("Show thought process").nth(answers - 1)
    expect(thoughts).to_be_enabled(timeout=ANSWER_TIMEOUT_MS)


def set_option(page: Any, label: str, checked: bool) -> None:
    page.get_by_text("Developer settings").click()
    box = page.get_by_label(label)
    if box.is_checked() != checked:
        box.click()
    page.keyboard.press("Escape")


def deltas_of(stream_body: str) -> list[str]:
    events = [json.loads(line) for line in stream_body.splitlines() if line.strip()]
    return [e["delta"] for e in events if e.get("type") == "response.output_text.delta"]


def test_the_reference_frontend_answers_cites_explains_and_follows_up(
    served: Served, browser: Any
) -> None:
    page = browser.new_page()
    log = PageLog(page, served.base_url)
    try:
        _drive(page, log, served)
    finally:
        shoot(page, "99-last")


def _drive(page: Any, log: PageLog, served: Served) -> None:
    page.goto(served.base_url)
    page.get_by_text("Chat with your data").wait_for()
    assert page.get_by_text("Unexpected Application Error").count() == 0
    shoot(page, "01-empty")
    set_option(page, "Suggest follow-up questions", True)

    ask(page, "Tell me about the Halvard Ptarmigan 2 Tent.", answers=1)
    deltas = deltas_of(log.streams[0])
    # One delta per sentence (with its citations), as the offline answerer writes them.
    assert len(deltas) >= 2 and len(deltas) == len(sentence_pieces("".join(deltas))), deltas
    shoot(page, "02-streamed-answer")

    ask(page, "How much does the Halvard Ptarmigan 2 Tent cost?", answers=2)
    assert "389" in page.locator("[class*=answerText]").nth(1).inner_text()
    citation = page.locator("a[class*=citation][title^='products.csv#id=']").last
    with page.expect_response(lambda r: "/content/products.csv" in r.url) as content:
        citation.click()
    assert content.value.status == 200
    # The panel shows the cited row alone (the catalog's HTML view, targeted by "#id=2").
    from playwright.sync_api import expect

    rows = page.frame_locator("iframe[title=Citation]").locator("tbody tr:visible")
    expect(rows).to_have_count(1)
    assert "Halvard Ptarmigan 2 Tent" in rows.first.inner_text()
    shoot(page, "03-citation")

    page.get_by_role("tab", name="Thought Process").click()
    for title in ("Search query and filters", "Search results", "Answer generation"):
        page.get_by_text(title, exact=True).wait_for()
    page.get_by_text("Answer generation", exact=True).scroll_into_view_if_needed()
    prompt_label = page.get_by_text("Prompt:").first.inner_text()
    assert int(prompt_label.split(":")[1]) > 0, prompt_label
    assert "search_plan" in page.locator("[class*=tPropRow]").first.inner_text()
    shoot(page, "04-thoughts")
    step = page.locator("li", has_text="Answer generation").last
    step.screenshot(path=str(SHOTS_DIR / "04b-token-usage.png"))

    followups = page.locator("a[class*=followupQuestion]")
    offered = followups.all_inner_texts()
    assert offered and all("Ptarmigan" in q or "Tent" in q for q in offered), offered
    followups.last.click()
    answer_done(page, 3)
    assert page.locator("[class*=answerText]").nth(2).inner_text().strip()
    shoot(page, "06-followup")

    set_option(page, "Stream chat completion responses", False)
    with page.expect_response(lambda r: r.url.endswith("/chat")) as plain:
        ask(page, "How much does the Halvard Ptarmigan 2 Tent cost?", answers=4)
    assert plain.value.status == 200 and plain.value.json()["output_text"]
    shoot(page, "07-not-streamed")
    assert log.errors == []


def test_the_supporting_content_images_load(served: Served, browser: Any) -> None:
    page = browser.new_page()
    PageLog(page, served.base_url)
    page.goto(served.base_url)
    ask(page, "How much does the Halvard Ptarmigan 2 Tent cost?", answers=1)
    page.get_by_title("Show supporting content").first.click()
    images = page.locator("img[alt='Supporting content']")
    images.first.wait_for(state="attached")
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"img[alt='Supporting content']\")]"
        ".every((i) => i.complete)"
    )
    widths = images.evaluate_all("(all) => all.map((i) => i.complete && i.naturalWidth)")
    assert widths and all(width and width > 0 for width in widths), widths
    shoot(page, "05-supporting-content")
    page.close()
