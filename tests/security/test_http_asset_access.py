"""Bug 2 of issue 12: a figure extracted from a private upload was served to any user who
guessed its folder (``/content/<stem>-<hash>/figure1_1.png``). Over the app ``ridgeline serve``
builds: real ingestion, LanceDB on disk, uvicorn on 127.0.0.1, two users."""

import httpx
import pytest

from ridgeline.cli import wiring
from ridgeline.settings import Settings
from tests.security.http_fixtures import ALICE, BOB, write_pdf_with_figure
from tests.servers import serve_in_thread

pytestmark = pytest.mark.integration

KEY = {"Authorization": "Bearer team-key"}


def figures_of(assets, stem):
    return sorted(
        path.relative_to(assets).as_posix()
        for folder in assets.glob(f"{stem}-*")
        for path in folder.glob("*.png")
    )


def test_a_private_uploads_figure_is_served_to_its_owner_only(tmp_path, hashing_plugin):
    shared = write_pdf_with_figure(
        tmp_path / "docs" / "catalogue.pdf", text="The shared catalogue.", colour=(30, 90, 200)
    )
    settings = Settings(
        index_dir=tmp_path / "index",
        chat_data_dir=tmp_path / "chat",
        api_key="team-key",
        image_embedder="none",
        text_embedder=hashing_plugin,
    )
    index = wiring.build_index(settings)
    wiring.build_pipeline(settings, index).run([shared.parent])
    private = write_pdf_with_figure(
        tmp_path / "mine" / "floorplan.pdf",
        text="Alice's private floor plan.",
        colour=(200, 30, 30),
    )
    assets = settings.index_dir / "assets"
    stray = assets / "orphan-00000000" / "figure1_1.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(private.read_bytes())
    app = wiring.build_chat_app(settings, index)
    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url, timeout=60) as client:
        files = {"file": ("floorplan.pdf", private.read_bytes(), "application/pdf")}
        assert client.post("/upload", files=files, headers={**KEY, **ALICE}).status_code == 200
        [figure] = figures_of(assets, "floorplan")
        assert client.get(f"/content/{figure}", headers={**KEY, **BOB}).status_code == 404
        assert client.get(f"/content/{figure}", headers=KEY).status_code == 404
        mine = client.get(f"/content/{figure}", headers={**KEY, **ALICE})
        assert mine.status_code == 200 and mine.headers["content-type"] == "image/png"

        [common] = figures_of(assets, "catalogue")
        assert client.get(f"/content/{common}", headers={**KEY, **BOB}).status_code == 200
        # A folder no indexed document owns (left behind, or planted) is not served either.
        orphan = client.get("/content/orphan-00000000/figure1_1.png", headers={**KEY, **ALICE})
        assert orphan.status_code == 404
