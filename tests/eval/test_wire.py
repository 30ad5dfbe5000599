import base64
import json

import pytest
from PIL import Image

from eval.wire import ProtocolError, ResponsePaths, assemble_stream, chat_request, read_response

BODY = {
    "output_text": "A tent.[products.csv#id=3][r.pdf#page=2(figure2_1.png)]",
    "context": {
        "data_points": {
            "text": ["products.csv#id=3: Ptarmigan tent"],
            "images": ["images/3/1.jpg"],
            "citations": ["products.csv#id=3", "r.pdf#page=2"],
        }
    },
}


def test_a_text_question_is_a_plain_user_message():
    assert chat_request("Hi?", overrides={"top": 2}) == {
        "messages": [{"role": "user", "content": "Hi?"}],
        "context": {"overrides": {"top": 2}},
    }


def test_an_image_question_sends_a_data_url_image_part(tmp_path):
    path = tmp_path / "tent.png"
    Image.new("RGB", (4, 4), "green").save(path)
    body = chat_request("Which tent?", overrides={}, image=str(path))
    text, image = body["messages"][0]["content"]
    assert text == {"type": "text", "text": "Which tent?"}
    url = image["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    assert base64.b64decode(url.split(",", 1)[1]) == path.read_bytes()


def test_an_image_url_is_sent_as_is():
    body = chat_request("Q?", overrides={}, image="https://example.com/a.png")
    assert body["messages"][0]["content"][1]["image_url"]["url"] == "https://example.com/a.png"


def test_the_default_paths_read_ridgelines_response():
    reply = read_response(BODY, ResponsePaths())
    assert reply.answer_citations == ["products.csv#id=3", "r.pdf#page=2(figure2_1.png)"]
    assert reply.source_citations == ["products.csv#id=3", "r.pdf#page=2"]
    assert reply.contexts == ["products.csv#id=3: Ptarmigan tent"]
    assert reply.images == ["images/3/1.jpg"]


def test_jmespath_settings_read_another_shape():
    other = {"choices": [{"message": {"content": "Yes.[a.pdf#page=1]"}}], "docs": [{"id": "a"}]}
    paths = ResponsePaths(answer="choices[0].message.content", citations="docs[].id", contexts="x")
    reply = read_response(other, paths)
    assert (reply.answer, reply.source_citations, reply.contexts) == (
        "Yes.[a.pdf#page=1]",
        ["a"],
        [],
    )


def test_a_bad_expression_or_a_missing_answer_is_an_error():
    with pytest.raises(ValueError, match="not a JMESPath expression"):
        ResponsePaths(answer="choices[")
    with pytest.raises(ProtocolError, match="no text at 'output_text'"):
        read_response({"message": "old"}, ResponsePaths())
    with pytest.raises(ProtocolError, match="answered an error: boom"):
        read_response({"error": "boom"}, ResponsePaths())


def test_a_stream_of_events_assembles_into_one_body():
    events = [
        {"type": "response.context", "context": {"data_points": {"citations": ["a.pdf#page=1"]}}},
        {"type": "response.output_text.delta", "delta": "Cov"},
        {"type": "response.output_text.delta", "delta": "ered."},
        {"type": "response.context", "context": {"followup_questions": ["Why?"]}},
    ]
    body = assemble_stream([json.dumps(e) for e in events] + [""])
    assert body["output_text"] == "Covered."
    assert body["context"]["data_points"]["citations"] == ["a.pdf#page=1"]
    assert body["context"]["followup_questions"] == ["Why?"]


def test_the_older_untyped_stream_shape_is_understood():
    lines = [
        json.dumps({"delta": {"role": "assistant"}, "context": {"data_points": {"text": ["t"]}}}),
        json.dumps({"delta": {"content": "Hi"}}),
    ]
    assert assemble_stream(lines) == {
        "output_text": "Hi",
        "context": {"data_points": {"text": ["t"]}},
    }


def test_an_error_line_or_a_broken_line_fails_the_stream():
    with pytest.raises(ProtocolError, match="stream reported an error: model down"):
        assemble_stream([json.dumps({"delta": "x"}), json.dumps({"error": "model down"})])
    with pytest.raises(ProtocolError, match="not JSON"):
        assemble_stream(["{oops"])
