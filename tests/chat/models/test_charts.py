"""A question about a chart is answered by naming the chart and what it plots, never its ticks."""

from __future__ import annotations

import pytest

from chat.models.charts import chart_answer
from chat.models.extractive import ExtractiveAnswerer
from ridgeline.types import ChatMessage, SearchHit
from tests.chat.fakes import make_hit
from tests.ingestion.fakes import InMemoryIndex
from tests.ingestion.parsers.vector_pdfs import CHART_TITLE, chart_pdf
from tests.ingestion.pipelines import ocr_pipeline

FIGURE = (
    "[Figure figure4_1.png] Offline description (no vision model): mostly white. Visible text: "
    "5-Year Trend of the S&P 500 Index 5000 4500 4000 3500 3000 2500 2000 2018 2019 2020 2021 "
    "2022. Context: Figure text: 5-Year Trend of the S&P 500 Index 5000 4500 4000 ..."
)
PAGE = "report.pdf#page=4"


def ask(question: str, hits: list[SearchHit]) -> str:
    messages = [ChatMessage(role="user", content=question)]
    return ExtractiveAnswerer().answer(messages, hits).text


@pytest.fixture(scope="module")
def chart_hits(tmp_path_factory: pytest.TempPathFactory) -> list[SearchHit]:
    """The chunks of a PDF with a bar chart drawn as vectors, ingested for real (OCR included)."""
    folder = tmp_path_factory.mktemp("charts")
    index = InMemoryIndex()
    ocr_pipeline(index, assets_dir=folder / "a").run([chart_pdf(folder)])
    return [SearchHit(chunk=chunk, score=1.0) for chunk in index.all_chunks()]


def test_a_drawn_chart_is_named_and_cited_and_its_ticks_are_not_quoted(
    chart_hits: list[SearchHit],
) -> None:
    answer = ask("How did quarterly lantern sales develop?", chart_hits)
    assert f'The chart "{CHART_TITLE}" on page 1 shows this' in answer
    assert "sales.pdf#page=1(figure1_1.png)" in answer
    assert "vision model" in answer
    assert "0 50 100 150" not in answer and "Visible text" not in answer


def test_the_years_on_an_axis_are_its_span_and_a_value_axis_is_not() -> None:
    hits = [make_hit(PAGE, f"Stock Market Overview\n\n{FIGURE}\n\nThe S&P 500 index was volatile.")]
    (chart, prose) = chart_answer("What was the trend of the S&P 500 index?", hits) or []
    assert chart == (
        'The chart "5-Year Trend of the S&P 500 Index" on page 4 shows this over 2018-2022. Its '
        "values are drawn, not printed, so this offline answer cannot read them: open the figure, "
        "or ask with a vision model configured.",
        "report.pdf#page=4(figure4_1.png)",
    )
    assert prose == ("The S&P 500 index was volatile.", PAGE)


def test_a_photo_with_words_on_it_is_no_chart() -> None:
    photo = (
        "[Figure p02.png] Offline description (no vision model): mostly white with purple. "
        "Visible text: Halvard Ptarmigan 2 Tent TENTS $389.00. Context: p02"
    )
    hits = [make_hit("tents.md", f"# Ptarmigan\n\n{photo}\n\nA two-person tent.")]
    assert chart_answer("What does the Halvard Ptarmigan 2 Tent cost?", hits) is None


def test_a_question_the_prose_answers_better_is_left_to_the_prose() -> None:
    prose = "Volatility of the S&P 500 index rose with interest rates and inflation in 2022."
    hits = [make_hit(PAGE, f"{FIGURE}\n\n{prose}")]
    question = "Why did volatility of the S&P 500 index rise with interest rates in 2022?"
    assert chart_answer(question, hits) is None


def test_the_prose_quoted_beside_a_chart_is_from_the_chart_page() -> None:
    next_page = "[Page 5]\nThe S&P 500 index trend fell sharply in 2022 on the next page."
    hits = [
        make_hit(PAGE, f"Stock Market Overview\n\n{FIGURE}"),
        make_hit(PAGE, f"The S&P 500 index was volatile.\n{next_page}"),
    ]
    pieces = chart_answer("What was the trend of the S&P 500 index?", hits) or []
    assert pieces[1:] == [("The S&P 500 index was volatile.", PAGE)]
