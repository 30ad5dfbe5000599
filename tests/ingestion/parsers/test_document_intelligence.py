"""Document Intelligence (prebuilt-layout) mapping and client.

The fixture ``fixtures/layout_operation.json`` was written for these tests, by hand, in the
service's documented wire format: the analyze operation's GET response of REST API version
2023-07-31 (``status``, ``analyzeResult`` with ``pages``, ``paragraphs`` with roles,
``boundingRegions`` and ``spans``, ``tables`` with ``cells``). It is not a recording of the
real service.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from azure.ai.formrecognizer import AnalyzeResult
from azure.ai.formrecognizer._generated.v2023_07_31.models import (
    AnalyzeResult as WireAnalyzeResult,
)
from PIL import Image

from ingestion.parsers.document_intelligence import DocumentIntelligenceParser
from ingestion.parsers.layout_result import PlacedFigure, pages_from_layout
from ridgeline.errors import IngestionError
from ridgeline.types import ImageAsset
from tests.ingestion.parsers.local_http import Reply, Seen, serve
from tests.ingestion.parsers.vector_pdfs import CHART_LEGEND, chart_pdf

FIXTURE = Path(__file__).parent / "fixtures" / "layout_operation.json"
TABLE = "| Model | Sleeps |\n|---|---|\n| TrailMaster | 4 |"


def operation() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def sdk_result() -> AnalyzeResult:
    # The same two steps the SDK takes on the wire response: deserialize, then wrap.
    wire = WireAnalyzeResult.deserialize(operation()["analyzeResult"])
    return AnalyzeResult._from_generated(wire)


def test_paragraphs_and_tables_map_to_pages_in_reading_order() -> None:
    first, second = pages_from_layout(sdk_result(), source="guide.pdf")

    assert (first.page_number, first.title) == (1, "Tent Guide")
    assert first.text == (
        "Tent Guide\n\nPitch the tent on flat ground, away from trees.\n\n"
        f"{TABLE}\n\nStake the corners before the fly."
    )
    assert (second.page_number, second.text) == (2, "Care\n\nDry the tent before storage.")


def test_headers_footers_page_numbers_and_cell_paragraphs_are_not_repeated() -> None:
    text = " ".join(page.text for page in pages_from_layout(sdk_result(), source="g.pdf"))

    assert "Contoso Outdoor" not in text and "Page 1" not in text
    assert text.count("TrailMaster") == 1


def test_figures_are_placed_on_their_page_by_position() -> None:
    figure = ImageAsset(path="/a/figure1_1.png", figure_name="figure1_1.png", context="A tent")
    # 2.0 in from the top = 144 pt: after the first paragraph (1.6 in), before the table (2.2 in).
    pages = list(pages_from_layout(sdk_result(), source="g.pdf", figures={1: [(figure, 144.0)]}))

    assert pages[0].images == (figure,)
    assert "away from trees.\n\n[Figure figure1_1.png]\n\n| Model" in pages[0].text
    assert pages[1].images == ()


@pytest.mark.integration
def test_the_sdk_client_runs_the_analyze_operation_against_a_local_server(
    tmp_path: Path,
) -> None:
    """The real azure-ai-formrecognizer client against a local server speaking the REST LRO:
    POST ...:analyze answers 202 with Operation-Location; GET on it answers the fixture."""
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG fake bytes: the local server does not read them")

    def route(request: Seen, base: str) -> Reply:
        if request.method == "POST":
            location = f"{base}/formrecognizer/documentModels/prebuilt-layout/analyzeResults/op1"
            return Reply(202, headers={"Operation-Location": f"{location}?api-version=2023-07-31"})
        body = json.dumps(operation()).encode()
        return Reply(200, body, {"Content-Type": "application/json"})

    with serve(route) as (base, seen):
        parser = DocumentIntelligenceParser(endpoint=base, key="k", polling_interval=0)
        pages = list(parser.parse(image, source="scan.png"))

    assert [page.page_number for page in pages] == [1, 2]
    assert TABLE in pages[0].text
    post = seen[0]
    assert post.path.startswith("/formrecognizer/documentModels/prebuilt-layout:analyze?")
    assert "api-version=2023-07-31" in post.path
    assert post.headers["Ocp-Apim-Subscription-Key"] == "k"
    assert post.body == image.read_bytes()


@pytest.mark.integration
def test_a_service_error_is_an_ingestion_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    error = {"error": {"code": "InvalidRequest", "message": "Invalid request."}}

    def route(request: Seen, base: str) -> Reply:
        return Reply(400, json.dumps(error).encode(), {"Content-Type": "application/json"})

    with serve(route) as (base, _), pytest.raises(IngestionError, match=r"a\.png: Document Intel"):
        parser = DocumentIntelligenceParser(endpoint=base, key="k", polling_interval=0)
        list(parser.parse(path, source="a.png"))


@pytest.mark.integration
def test_figures_of_a_pdf_are_extracted_locally_and_placed_on_their_page(
    rich_pdf: Path, tmp_path: Path
) -> None:
    """The formrecognizer API version (2023-07-31) has no figures: they come from the PDF."""

    def route(request: Seen, base: str) -> Reply:
        if request.method == "POST":
            location = f"{base}/formrecognizer/documentModels/prebuilt-layout/analyzeResults/op2"
            return Reply(202, headers={"Operation-Location": location})
        return Reply(200, json.dumps(operation()).encode(), {"Content-Type": "application/json"})

    with serve(route) as (base, _):
        parser = DocumentIntelligenceParser(
            endpoint=base, key="k", assets_dir=tmp_path / "assets", polling_interval=0
        )
        first, second = parser.parse(rich_pdf, source="tents.pdf")

    (figure,) = first.images
    assert figure.figure_name == "figure1_1.png" and Path(figure.path).is_file()
    assert "[Figure figure1_1.png]" in first.text and second.images == ()


def test_the_paragraphs_inside_a_drawn_figure_are_its_own_and_leave_the_page_text() -> None:
    figure = ImageAsset(path="/a/figure1_1.png", figure_name="figure1_1.png")
    # In points from the top of the page: the "Stake the corners" paragraph (inches 3.2-3.5).
    placed = PlacedFigure(figure, 220.0, area=(60.0, 220.0, 520.0, 260.0))

    first, _ = pages_from_layout(sdk_result(), source="g.pdf", figures={1: [placed]})

    assert "Stake the corners" not in first.text
    assert first.text.endswith(f"{TABLE}\n\n[Figure figure1_1.png]")


@pytest.mark.integration
def test_a_chart_drawn_as_vectors_is_cropped_from_the_pdf_like_the_local_parser_does(
    tmp_path: Path,
) -> None:
    def route(request: Seen, base: str) -> Reply:
        if request.method == "POST":
            location = f"{base}/formrecognizer/documentModels/prebuilt-layout/analyzeResults/op3"
            return Reply(202, headers={"Operation-Location": location})
        return Reply(200, json.dumps(operation()).encode(), {"Content-Type": "application/json"})

    with serve(route) as (base, _):
        parser = DocumentIntelligenceParser(
            endpoint=base,
            key="k",
            assets_dir=tmp_path / "assets",
            max_image_pixels=60_000,
            polling_interval=0,
        )
        first, _ = parser.parse(chart_pdf(tmp_path), source="sales.pdf")

    (figure,) = first.images
    assert figure.figure_name == "figure1_1.png" and CHART_LEGEND in figure.context
    with Image.open(figure.path) as image:
        assert image.width * image.height <= 60_000
