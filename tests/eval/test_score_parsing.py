import pytest

from eval.score_parsing import parse_reason, parse_score


@pytest.mark.parametrize(
    ("reply", "score"),
    [
        ('{"score": 4, "reason": "fine"}', 4.0),
        ('Here you go:\n```json\n{"rating": "5"}\n```', 5.0),
        ("Score: 3", 3.0),
        ("**Score:** 2 - weak support", 2.0),
        ("Rating = 4.5", 4.5),
        ("I would give it 4/5.", 4.0),
        ("That is 3 out of 5", 3.0),
        ("5", 5.0),
        (" 1.\n", 1.0),
    ],
)
def test_scores_are_read_from_many_shapes(reply: str, score: float):
    assert parse_score(reply) == score


@pytest.mark.parametrize("reply", ["no idea", "Score: 7", '{"score": 0}', "", "10/5"])
def test_unreadable_or_out_of_scale_replies_have_no_score(reply: str):
    assert parse_score(reply) is None


def test_the_reason_comes_from_json_or_the_reply():
    assert parse_reason('{"score": 4, "reason": " Mostly supported. "}') == "Mostly supported."
    assert parse_reason("Score: 4\nall good") == "Score: 4 all good"
