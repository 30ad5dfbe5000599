from chat.unknown_names import asked_names, unknown_names
from tests.chat.fakes import make_hit

PLANS = [
    make_hit("plans.pdf#page=2", "Northwind Standard covers in-network care."),
    make_hit("plans.pdf#page=3", "Northwind Health Plus adds vision care."),
]


def test_names_are_capitalised_words_inside_a_sentence_and_acronyms():
    assert asked_names("What does the Northwind Platinum plan cover?") == ["Northwind", "Platinum"]
    assert asked_names("WHCRA covers what? Plus what else?") == ["WHCRA"]
    assert asked_names("Who won the FIFA World Cup in 2018?") == ["FIFA", "World", "Cup"]


def test_a_question_in_title_case_or_capitals_names_nothing():
    assert asked_names("What Is The Deductible For Plus?") == []
    assert asked_names("WHAT IS THE DEDUCTIBLE?") == []


def test_a_name_no_source_mentions_and_the_index_does_not_know_is_unknown():
    looked_up = []

    def is_indexed(name: str) -> bool:
        looked_up.append(name)
        return False

    question = "What are the benefits of the Northwind Platinum plan?"
    assert unknown_names(question, PLANS, is_indexed) == ["Platinum"]
    assert looked_up == ["Platinum"]  # "Northwind" is in the sources: not looked up


def test_a_name_the_index_knows_elsewhere_is_not_unknown():
    question = "Does Contoso offer the Northwind Standard plan?"
    assert unknown_names(question, PLANS, lambda name: name == "Contoso") == []
