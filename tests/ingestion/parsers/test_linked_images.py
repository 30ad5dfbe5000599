"""Images linked from HTML and Markdown pages: followed inside the page's folder or inline,
never outside it and never over the network."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pytest
from PIL import Image

from ingestion.parsers.linked_images import LinkedImages
from ingestion.parsers.markdown import MarkdownParser
from ingestion.parsers.web_page import HtmlParser


def _png(path: Path, colour: str = "red") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30), colour).save(path)
    return path


def _data_uri(colour: str) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    _png(folder / "photos" / "tent.png", "green")
    _png(tmp_path / "secret.png", "black")  # beside the site folder, not inside it
    return folder


def test_an_html_image_in_the_pages_folder_becomes_a_figure_with_its_context(
    site: Path, tmp_path: Path
) -> None:
    page = site / "tent.html"
    page.write_text(
        "<h1>Pitching</h1><p>Stake the corners first.</p>"
        '<img src="photos/tent.png" alt="The pitched Ptarmigan tent">',
        encoding="utf-8",
    )
    (pitching,) = HtmlParser(assets_dir=tmp_path / "assets").parse(page, source="tent.html")

    (figure,) = pitching.images
    assert figure.figure_name == "figure1.png"
    assert Image.open(figure.path).getpixel((0, 0)) == (0, 128, 0)
    assert figure.context == "The pitched Ptarmigan tent. Stake the corners first."
    assert pitching.text == "Stake the corners first.\n\n[Figure figure1.png]"


def test_links_outside_the_folder_and_web_addresses_are_not_followed(
    site: Path, tmp_path: Path
) -> None:
    page = site / "bad.html"
    secret = tmp_path / "secret.png"
    page.write_text(
        "<p>Some text.</p>"
        f'<img src="../secret.png"><img src="{secret}"><img src="file://{secret}">'
        '<img src="https://example.com/tent.png"><img src="photos/missing.png"><img src="">',
        encoding="utf-8",
    )
    (only,) = HtmlParser(assets_dir=tmp_path / "assets").parse(page, source="bad.html")
    assert only.images == ()
    assert only.text == "Some text."


def test_inline_data_images_are_decoded_and_broken_ones_skipped(tmp_path: Path) -> None:
    images = LinkedImages(tmp_path / "page.html", tmp_path / "assets")
    assert images.load(_data_uri("blue"), context="a swatch") is not None
    assert images.load("data:image/png;base64,not base64!", context="") is None
    assert (
        images.load("data:image/png;base64," + base64.b64encode(b"no image").decode(), context="")
        is None
    )


def test_images_over_the_byte_limit_are_skipped(site: Path, tmp_path: Path) -> None:
    images = LinkedImages(site / "page.md", tmp_path / "assets", max_bytes=10)
    assert images.load("photos/tent.png", context="") is None


def test_without_an_assets_folder_no_image_is_kept(site: Path) -> None:
    page = site / "tent.html"
    page.write_text('<p>Text.</p><img src="photos/tent.png">', encoding="utf-8")
    (only,) = HtmlParser().parse(page, source="tent.html")
    assert only.images == () and only.text == "Text."


def test_a_markdown_image_becomes_a_figure_but_not_inside_code(site: Path, tmp_path: Path) -> None:
    guide = site / "guide.md"
    guide.write_text(
        '# Care\n\nDry it before storing. ![Drying tent](photos/tent.png "drying")\n\n'
        "```\n![not an image](photos/tent.png)\n```\n",
        encoding="utf-8",
    )
    (care,) = MarkdownParser(assets_dir=tmp_path / "assets").parse(guide, source="guide.md")

    (figure,) = care.images
    assert figure.context == "Drying tent. Dry it before storing."
    assert "[Figure figure1.png]" in care.text.splitlines()
    assert care.text.count("[Figure ") == 1
