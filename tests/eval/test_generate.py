import json

import pytest

from eval.generate import generate_from_templates, generate_with_llm, template_question
from ridgeline.types import Chunk, ChunkKind
from tests.ridgeline.providers.chat_completions_server import chat_completions_server


def _chunk(n: int, source: str, content: str, kind: ChunkKind = ChunkKind.TEXT) -> Chunk:
    return Chunk(
        chunk_id=f"c{n}",
        document_id=source,
        source=source,
        citation=f"{source}#page={n}",
        content=content,
        kind=kind,
    )


CHUNKS = [
    _chunk(
        1,
        "plan.pdf",
        "Welcome. The Northwind Standard plan covers preventive care, vision exams"
        " and 80% of in-network costs.",
    ),
    _chunk(2, "plan.pdf", "Too short."),
    _chunk(
        3,
        "handbook.pdf",
        "Employees are expected to report safety incidents to their manager"
        " within 24 hours of the event.",
    ),
    _chunk(
        4,
        "products.csv",
        "Tent. Price 200. Brand Halvard. A tent for two people in the mountains.",
        ChunkKind.CATALOG,
    ),
]


def test_templates_turn_statements_into_questions():
    assert template_question(
        "The Standard plan covers eye exams and glasses for members.", source="p.pdf"
    ) == ("What does the Standard plan cover?")
    assert (
        template_question("Employees are expected to report incidents.", source="h.pdf")
        == "What are Employees?"
    )
    assert template_question(
        "On weekdays we open at nine in the morning.", source="h.pdf"
    ).startswith("According to h.pdf, what is said about on weekdays")


def test_template_rows_cite_their_chunk_and_say_how_they_were_made():
    rows = generate_from_templates(CHUNKS, count=10, seed=0)
    assert len(rows) == 2  # the short chunk and the catalog row give nothing
    by_truth = {row["truth"].rsplit("[", 1)[1]: row for row in rows}
    assert set(by_truth) == {"plan.pdf#page=1]", "handbook.pdf#page=3]"}
    assert (
        by_truth["plan.pdf#page=1]"]["question"] == "What does the Northwind Standard plan cover?"
    )
    assert all(row["generated_by"] == "template" for row in rows)


def test_count_and_seed_decide_which_chunks_are_used():
    assert len(generate_from_templates(CHUNKS, count=1, seed=0)) == 1
    assert generate_from_templates(CHUNKS, count=2, seed=4) == generate_from_templates(
        CHUNKS, count=2, seed=4
    )


@pytest.mark.integration
def test_an_llm_writes_the_pairs_through_the_openai_sdk():
    """The real openai SDK against a local server speaking the chat-completions protocol."""
    from ridgeline.providers.llm import OpenAICompatibleClient
    from ridgeline.providers.llm_types import LlmConfig

    def reply(prompt: str) -> str:
        if "Halvard" in prompt or "Welcome" in prompt:
            return "Sorry, no JSON today."
        return json.dumps(
            {"question": "When are incidents reported?", "answer": "Within 24 hours."}
        )

    with chat_completions_server() as server:
        server.reply = lambda body: reply(body["messages"][-1]["content"])
        config = LlmConfig(model="gen-1", base_url=server.base_url, api_key="t", max_retries=0)
        llm = OpenAICompatibleClient(config, role="question generation")
        rows = generate_with_llm(CHUNKS, count=5, llm=llm, seed=0)
    # the unreadable replies are skipped; the short plan chunk got the canned pair too
    assert [row["truth"] for row in rows] == [
        "Within 24 hours.[handbook.pdf#page=3]",
        "Within 24 hours.[plan.pdf#page=2]",
    ]
    assert {row["generated_by"] for row in rows} == {"llm:gen-1"}
    prompts = [request.body["messages"][-1]["content"] for request in server.requests]
    assert any("Employees are expected" in prompt for prompt in prompts)


def test_markup_is_never_turned_into_a_question():
    markup = _chunk(
        9, "ticket.json", '{ "AreaPath": "SmartHotel360", "Title": "Booking page shows dates." }'
    )
    assert generate_from_templates([markup], count=3, seed=0) == []
