"""ChatService.stream: the NDJSON events of the reference protocol, built from fakes."""

import pytest

from chat.models.extractive import DONT_KNOW, ExtractiveAnswerer
from chat.protocol import ChatRequest
from chat.service import ChatService
from ridgeline.types import ChunkKind
from tests.chat.fakes import FailingChatModel, FakeRetriever, ScriptedChatModel, make_hit

HITS = [
    make_hit(
        "products.csv#id=7",
        "Name: TrailMaster X4 Tent\nPrice: $250.00",
        kind=ChunkKind.CATALOG,
        title="TrailMaster X4 Tent",
        score=0.9,
    ),
    make_hit("guide.pdf#page=4", "Pitch the tent on flat ground.", title="Camping guide"),
]


def request(question="How much is the TrailMaster tent?", **overrides):
    return ChatRequest.model_validate(
        {
            "messages": [{"role": "user", "content": question}],
            "context": {"overrides": overrides},
            "session_state": "s1",
        }
    )


def events_of(service, req):
    return list(service.stream(req))


def test_a_stream_is_context_then_deltas_then_a_final_context():
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=ExtractiveAnswerer())
    events = events_of(service, request(suggest_followup_questions=True))
    first, *deltas, last = events
    assert first["type"] == "response.context" and first["session_state"] == "s1"
    assert first["context"]["data_points"]["citations"] == ["products.csv#id=7", "guide.pdf#page=4"]
    assert {e["type"] for e in deltas} == {"response.output_text.delta"}
    text = "".join(e["delta"] for e in deltas)
    assert text == "TrailMaster X4 Tent - Price: $250.00. [products.csv#id=7]"
    assert last["type"] == "response.context"
    assert last["context"]["followup_questions"] == ["What do the sources say about Camping guide?"]
    usage = last["context"]["thoughts"][-1]["props"]["token_usage"]
    assert set(usage) == {"prompt_tokens", "completion_tokens", "reasoning_tokens", "total_tokens"}


def test_the_offline_answer_has_token_counts_made_with_tiktoken():
    from ridgeline.providers.tokenizer import TiktokenTokenizer

    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=ExtractiveAnswerer())
    response = service.chat(request())
    generation = response.context.thoughts[-1]
    usage = generation.props["token_usage"]
    assert usage["completion_tokens"] == TiktokenTokenizer().count(response.output_text)
    assert usage["prompt_tokens"] > usage["completion_tokens"] > 0
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
    assert generation.props["token_count"] == "counted with tiktoken (cl100k_base)"


def test_the_offline_answer_streams_one_delta_per_sentence():
    text = "Tents cost $250.00. [products.csv#id=7] Poles are extra! Ask us. [guide.pdf#page=4]"
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=ScriptedChatModel(text))
    deltas = [e["delta"] for e in events_of(service, request()) if e["type"].endswith("delta")]
    assert deltas == [
        "Tents cost $250.00. [products.csv#id=7] ",
        "Poles are extra! ",
        "Ask us. [guide.pdf#page=4]",
    ]


def test_the_streamed_text_is_the_same_answer_as_the_plain_one():
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=ExtractiveAnswerer())
    streamed = "".join(
        e["delta"] for e in events_of(service, request()) if e["type"].endswith("delta")
    )
    assert streamed == service.chat(request()).output_text


def test_unknown_citations_are_dropped_from_the_stream_and_noted():
    model = ScriptedChatModel("It costs $250. [products.csv#id=7] It is red. [invented.pdf#page=9]")
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=model)
    events = events_of(service, request())
    text = "".join(e["delta"] for e in events if e["type"].endswith("delta"))
    assert text == "It costs $250. [products.csv#id=7] It is red."
    removed = events[-1]["context"]["thoughts"][-1]
    assert removed["props"]["citations"] == ["invented.pdf#page=9"]


def test_with_no_source_above_the_minimum_score_it_says_it_does_not_know():
    model = ScriptedChatModel("Made up. [products.csv#id=7]")
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=model)
    events = events_of(service, request(minimum_search_score=1.5))
    assert [e["delta"] for e in events if e["type"].endswith("delta")] == [DONT_KNOW]
    assert model.received == []  # the model is not asked without sources


def test_a_model_failure_mid_stream_is_raised_after_the_first_event():
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=FailingChatModel())
    stream = service.stream(request())
    assert next(stream)["type"] == "response.context"
    with pytest.raises(RuntimeError):
        next(stream)


class FollowupModel(ScriptedChatModel):
    """A tunable model that writes follow-up markup when asked to, like an LLM told the rules."""

    def with_options(self, *, temperature, seed, prompt_template=None, suggest_followups=False):
        extra = " <<Is it waterproof?>> <<How heavy is it?>>" if suggest_followups else ""
        return ScriptedChatModel(self.text + extra)


def test_llm_followup_markup_becomes_followup_questions_not_answer_text():
    model = FollowupModel("It costs $250. [products.csv#id=7]")
    service = ChatService(retriever=FakeRetriever(hits=list(HITS)), model=model)
    events = events_of(service, request(suggest_followup_questions=True))
    text = "".join(e["delta"] for e in events if e["type"].endswith("delta"))
    assert text.strip() == "It costs $250. [products.csv#id=7]"
    assert events[-1]["context"]["followup_questions"] == ["Is it waterproof?", "How heavy is it?"]
    response = service.chat(request(suggest_followup_questions=True))
    assert response.output_text == "It costs $250. [products.csv#id=7]"
    assert response.context.followup_questions == ["Is it waterproof?", "How heavy is it?"]
