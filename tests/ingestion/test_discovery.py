from pathlib import Path

from ingestion.discovery import discover_files


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x", encoding="utf-8")
    return path


def test_folders_are_walked_sorted_skipping_hidden_and_junk_but_not_unsupported(
    tmp_path: Path,
) -> None:
    for name in ["b.pdf", "a.md", "sub/c.xyz", ".hidden.txt", ".git/config", ".DS_Store",
                 "Thumbs.db", "draft.md~", "sub/z/d.txt"]:  # fmt: skip
        touch(tmp_path / name)

    found = discover_files([tmp_path])

    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a.md",
        "b.pdf",
        "sub/c.xyz",
        "sub/z/d.txt",
    ]


def test_named_files_are_kept_in_order_once_even_if_missing(tmp_path: Path) -> None:
    a = touch(tmp_path / "docs" / "a.txt")
    missing = tmp_path / "missing.pdf"

    found = discover_files([missing, tmp_path / "docs", a, tmp_path / ".DS_Store"])

    assert found == [missing, a]
