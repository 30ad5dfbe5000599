from pathlib import Path

from ingestion.parsers.web_page import HtmlParser

PAGE = """<!doctype html><html><head><title>Tent FAQ</title>
<style>p { color: red }</style><script>track("visit")</script></head>
<body><nav><a href="/">Home</a> <a href="/shop">Shop</a></nav>
<p>Answers to <b>common</b> questions.</p>
<h1>Returns</h1><p>Return within 30 days.</p>
<h2>Fees</h2>
<table><tr><th>Item</th><th>Fee</th></tr><tr><td>Tent</td><td>$5</td></tr></table>
<div>Fees are refunded for faulty items.</div>
<footer role="navigation"><a href="/sitemap">Sitemap</a></footer>
</body></html>"""


def test_headings_title_sections_and_tables_become_markdown(tmp_path: Path) -> None:
    path = tmp_path / "faq.html"
    path.write_text(PAGE, encoding="utf-8")

    pages = list(HtmlParser().parse(path, source="faq.html"))

    assert [(p.title, p.text) for p in pages] == [
        ("Tent FAQ", "Answers to common questions."),
        ("Returns", "Return within 30 days."),
        (
            "Returns > Fees",
            "| Item | Fee |\n|---|---|\n| Tent | $5 |\n\nFees are refunded for faulty items.",
        ),
    ]


def test_scripts_styles_and_navigation_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "faq.htm"
    path.write_text(PAGE, encoding="utf-8")

    text = " ".join(p.text for p in HtmlParser().parse(path, source="faq.htm"))

    for dropped in ("track(", "color: red", "Home", "Shop", "Sitemap"):
        assert dropped not in text
