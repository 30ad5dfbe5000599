import pytest
from pydantic import ValidationError

from chat.protocol import ChatRequest

HI = {"messages": [{"role": "user", "content": "Hi"}]}


def test_a_minimal_request_gets_default_overrides():
    request = ChatRequest.model_validate({"messages": [{"role": "user", "content": "Hi?"}]})
    assert request.question == "Hi?"
    assert request.overrides.top is None and request.overrides.retrieval_mode is None


def test_content_parts_give_their_text_and_image_parts_parse():
    content = [
        {"type": "text", "text": "What is in"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
        {"type": "text", "text": "this photo?"},
    ]
    request = ChatRequest.model_validate({"messages": [{"role": "user", "content": content}]})
    assert request.question == "What is in\nthis photo?"
    assert request.messages[0].image_urls == ["data:image/png;base64,AAAA"]


def test_unknown_overrides_are_ignored_and_blank_categories_mean_none():
    body = {
        "messages": [{"role": "user", "content": "Hi?"}],
        "context": {"overrides": {"top": 3, "semantic_ranker": True, "include_category": ""}},
    }
    overrides = ChatRequest.model_validate(body).overrides
    assert overrides.top == 3 and overrides.include_category is None


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"messages": []}, "at least 1 item"),
        ({"messages": [{"role": "assistant", "content": "Hi"}]}, "must come from the user"),
        ({"messages": [{"role": "robot", "content": "Hi"}]}, "'user', 'assistant' or 'system'"),
        ({"messages": [{"role": "user", "content": "  "}]}, "no text and no image"),
        ({**HI, "context": {"overrides": {"top": 51}}}, "less than or equal to 50"),
        ({**HI, "context": {"overrides": {"retrieval_mode": "magic"}}}, "'text', 'vectors'"),
        ({**HI, "context": {"overrides": {"temperature": "hot"}}}, "valid number"),
    ],
)
def test_invalid_requests_are_rejected_with_the_reason(body, complaint):
    with pytest.raises(ValidationError, match=complaint):
        ChatRequest.model_validate(body)
