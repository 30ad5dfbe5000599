"""The chat page in real headless Chromium (Debian's ``chromium``, driven by Playwright):
a streamed cited answer, a citation opening its source, image thumbnails, an attached image."""

from __future__ import annotations

import base64
import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.chat.apps import running_app

pytestmark = [pytest.mark.integration, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    found = CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        pytest.fail(
            "Chromium is not installed: the browser tests need Debian's `chromium` package "
            "(apt-get install -y chromium) at /usr/bin/chromium",
            pytrace=False,
        )
    return str(found)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """One Chromium for the module, with a fresh profile (user data dir)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=executable,
            headless=True,
            args=LAUNCH_FLAGS,
        )
        context.set_default_timeout(15_000)
        yield context
        context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    yield page
    page.close()


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("page-app")) as running:
        yield running


def ask(page, question: str) -> None:
    page.fill("#question", question)
    page.click("#send")
    page.wait_for_selector(".turn.assistant[data-done='true']")


def test_a_question_gets_a_streamed_cited_answer_whose_citation_opens_the_source(
    page, app, tmp_path
):
    page.goto(app.base_url)
    ask(page, "Where do I pitch the tent?")
    answer = page.locator(".turn.assistant .text").last
    # The citation is a button labelled with the cited place.
    assert answer.inner_text() == "Pitch the tent on flat ground. manual.pdf#page=4"
    assert int(page.locator(".turn.assistant").last.get_attribute("data-deltas")) >= 1
    with page.expect_response(lambda r: "/content/manual.pdf" in r.url) as opened:
        page.click(".turn.assistant .citation")
    assert opened.value.status == 200
    page.wait_for_selector("#preview[data-loaded='manual.pdf#page=4']")
    assert page.locator("#preview-frame").get_attribute("src").startswith("blob:")
    page.screenshot(path=str(tmp_path / "answer.png"))
    assert (tmp_path / "answer.png").stat().st_size > 0


def test_source_images_show_as_thumbnails(page, app):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app.base_url)
    ask(page, "How much is the TrailMaster tent?")
    thumb = page.locator(".turn.assistant .thumb").first
    thumb.wait_for()
    assert thumb.evaluate("img => img.complete && img.naturalWidth") == 40
    assert errors == []


def test_an_attached_image_is_sent_with_the_question_and_drives_retrieval(page, app, tmp_path):
    photo = tmp_path / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 10)).save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())
    page.goto(app.base_url)
    page.set_input_files("#image", str(photo))
    page.wait_for_selector("#attachment:not([hidden])")
    ask(page, "Which tent looks like this?")
    call = app.retriever.calls[-1]
    assert call.image_bytes == photo.read_bytes()
    assert base64.b64encode(call.image_bytes)  # the data URL decoded back to the same bytes
    page.screenshot(path=str(tmp_path / "attached.png"))
