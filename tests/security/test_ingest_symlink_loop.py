"""Bug 5: a symlink loop in an ingested folder fails that one entry and the run goes on.

``Path.resolve()`` raises ``RuntimeError: Symlink loop`` on such a link; it used to end the
whole ingest with nothing written and no report.
"""

from __future__ import annotations

from pathlib import Path

from tests.security.ingest_fixtures import indexed_text, lance_index, pipeline


def test_a_symlink_loop_fails_alone_and_the_rest_is_ingested(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.txt").write_text("The lantern runs ten hours on one charge.", encoding="utf-8")
    (docs / "self.txt").symlink_to("self.txt")  # points at itself
    (docs / "ping.md").symlink_to("pong.md")  # a two-link loop
    (docs / "pong.md").symlink_to("ping.md")
    index_dir = tmp_path / "index"

    report = pipeline(index_dir).run([docs])

    assert [result.source for result in report.added] == ["guide.txt"]
    failed = {result.source: result.error for result in report.failed}
    assert set(failed) == {"self.txt", "ping.md", "pong.md"}
    assert all("symlink loop" in str(reason) for reason in failed.values())
    assert indexed_text(lance_index(index_dir), "lantern charge")
