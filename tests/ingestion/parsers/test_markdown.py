from pathlib import Path

from ingestion.parsers.markdown import MarkdownParser

GUIDE = """Intro line before any heading.

# Summit Lantern

A bright lantern.

## Care

Wipe it dry.

```bash
# not a heading
```

## Warranty ##

Two years.

### Exclusions
### Claims

Call us.
"""


def test_sections_are_titled_by_their_heading_path(tmp_path: Path) -> None:
    path = tmp_path / "guide.md"
    path.write_text(GUIDE, encoding="utf-8")

    pages = list(MarkdownParser().parse(path, source="guide.md"))

    assert [p.title for p in pages] == [
        None,
        "Summit Lantern",
        "Summit Lantern > Care",
        "Summit Lantern > Warranty",
        "Summit Lantern > Warranty > Claims",
    ]
    assert pages[2].text == "Wipe it dry.\n\n```bash\n# not a heading\n```"
    assert all(p.page_number is None and p.source == "guide.md" for p in pages)
