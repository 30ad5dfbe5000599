import pytest

from chat.models.kinds import detect_kind


@pytest.mark.parametrize(
    "question",
    [
        "Got any sleeping bags under $150?",
        "I'm after a backpack for under $100",
        "What's a good headlamp under $50?",
        "A tent below $200 please",
    ],
)
def test_shoppers_phrasings_with_a_budget_ask_for_a_recommendation(question: str):
    assert detect_kind(question, has_image=False).kind == "recommend"


def test_costs_more_compares_prices_and_lasts_longest_ranks_battery_life():
    more = detect_kind(
        "Which sleeping bag costs more, CozyNights or MountainDream?", has_image=False
    )
    assert (more.kind, more.attribute, more.direction) == ("compare", "price", "max")
    longest = detect_kind("Which headlamp lasts longest?", has_image=False)
    assert (longest.kind, longest.attribute, longest.direction) == (
        "superlative",
        "battery_life",
        "max",
    )


def test_a_question_about_advice_is_not_a_recommendation():
    assert (
        detect_kind("What is the recommendation for flu shots?", has_image=False).kind == "lookup"
    )


def test_a_yes_no_question_about_a_good_choice_stays_yes_no():
    question = "Is the Alpine Explorer Tent a good choice for family camping?"
    assert detect_kind(question, has_image=False).kind == "yesno"
