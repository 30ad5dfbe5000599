from __future__ import annotations

from retrieval.query.planner import QueryPlanner, facet_values, plan_query
from ridgeline.types import AccessScope, ChatMessage, SearchFilters
from tests.ridgeline.providers.fake_llm import ScriptedLlm


class FacetIndex:
    """Answers facets the way a search index does: value -> count."""

    def __init__(self, facets: dict[str, dict[str, int]]) -> None:
        self._facets = facets
        self.asked: list[str] = []

    def facets(self, field: str, *, filters: SearchFilters | None = None) -> dict[str, int]:
        self.asked.append(field)
        return self._facets.get(field, {})


def _user(text: str) -> ChatMessage:
    return ChatMessage(role="user", content=text)


INDEX = FacetIndex({"category": {"Tents": 3, "Backpacks": 2}, "brand": {"AlpineGear": 2, "": 1}})


def test_a_follow_up_with_a_price_is_rewritten_and_filtered() -> None:
    messages = [
        _user("Do you sell tents?"),
        ChatMessage(role="assistant", content="Yes, several."),
        _user("Which of them are under $200?"),
    ]
    plan = QueryPlanner(facets=INDEX).plan(messages)
    assert plan.rewrite_method == "rules"
    assert plan.rewritten == "Which of the tents are under $200?"
    assert plan.filters == SearchFilters(
        include_category="Tents", max_price=200.0, keep_unlabelled=True
    )
    assert plan.query == "Which of the tents are?"
    assert plan.details["filters"] == {
        "include_category": "Tents",
        "max_price": 200.0,
        "keep_unlabelled": True,
    }
    assert [c["kind"] for c in plan.details["constraints"]] == ["max_price", "category"]


def test_explicit_filters_win_over_words_and_access_is_kept() -> None:
    access = AccessScope(user_id="u1")
    given = SearchFilters(include_category="Backpacks", access=access)
    plan = QueryPlanner(facets=INDEX).plan([_user("tents under $90")], filters=given)
    assert plan.filters == SearchFilters(
        include_category="Backpacks", max_price=90.0, access=access
    )


def test_an_llm_rewrite_is_used_when_configured() -> None:
    messages = [_user("Tell me about the Ptarmigan 2 tent"), _user("How much is it?")]
    plan = plan_query(messages, llm=ScriptedLlm("Ptarmigan 2 tent price"))
    assert (plan.rewrite_method, plan.query) == ("llm", "Ptarmigan 2 tent price")
    assert plan.details["rewrite_token_usage"] == {
        "prompt_tokens": 10,
        "completion_tokens": 2,
        "total_tokens": 12,
        "calls": 1,
    }


def test_a_failed_llm_rewrite_falls_back_to_the_rules_without_usage() -> None:
    from ridgeline.errors import ModelError

    messages = [_user("Tell me about the Ptarmigan 2 tent"), _user("How much is it?")]
    plan = plan_query(messages, llm=ScriptedLlm(ModelError("down")))
    assert (plan.rewrite_method, plan.query) == ("rules", "How much is the Ptarmigan 2 tent?")
    assert "rewrite_token_usage" not in plan.details


def test_rewriting_can_be_turned_off() -> None:
    messages = [_user("Tell me about the Ptarmigan 2 tent"), _user("How much is it?")]
    plan = QueryPlanner(rewrite=False).plan(messages)
    assert (plan.rewrite_method, plan.query, plan.filters) == ("none", "How much is it?", None)


def test_facet_values_accepts_mappings_pairs_and_plain_values() -> None:
    assert facet_values(INDEX, "brand") == ["AlpineGear"]

    class Pairs:
        def facets(self, field: str, *, filters: SearchFilters | None = None) -> list[object]:
            return [("Tents", 3), "Backpacks"]

    assert facet_values(Pairs(), "category") == ["Tents", "Backpacks"]


def _with_photo(text: str) -> ChatMessage:
    return ChatMessage(role="user", content=text, images=("data:image/png;base64,iVBORw0KGgo=",))


def test_a_question_about_an_attached_image_sends_no_generic_words_to_the_text_search() -> None:
    for question in (
        "Which product is this?",
        "What is this?",
        "Do you have something like this?",
        "Do you sell this item?",
        "Show me similar products",
        "",
    ):
        plan = QueryPlanner(facets=INDEX).plan([_with_photo(question)])
        assert (plan.query, plan.filters, plan.about_image) == ("", None, True), question
        assert plan.details["about_image"] is True


def test_the_words_of_an_image_question_still_add_their_constraints() -> None:
    plan = QueryPlanner(facets=INDEX).plan(
        [_with_photo("Do you have this tent in green from AlpineGear, under $300?")]
    )
    assert plan.query == "tent green AlpineGear"
    assert plan.filters == SearchFilters(
        include_category="Tents", brand="AlpineGear", max_price=300.0, keep_unlabelled=True
    )


def test_this_in_an_image_question_is_the_image_not_an_earlier_subject() -> None:
    messages = [
        _user("Tell me about the Ptarmigan 2 tent"),
        ChatMessage(role="assistant", content="It sleeps two."),
        _with_photo("Is this one waterproof?"),
    ]
    plan = QueryPlanner(facets=INDEX, llm=ScriptedLlm("Ptarmigan 2 tent waterproof")).plan(messages)
    assert (plan.rewrite_method, plan.query) == ("none", "waterproof")


def test_the_same_words_without_an_image_are_searched_as_asked() -> None:
    plan = QueryPlanner(facets=INDEX).plan([_user("Which product is this?")])
    assert plan.query == "Which product is this?" and plan.about_image is False


def test_a_comparison_of_two_brands_products_is_not_filtered_to_one_brand() -> None:
    planner = QueryPlanner(brands=["EcoFire", "CompactCook"], categories=["Camping Stoves"])
    messages = [ChatMessage(role="user", content="Compare the EcoFire and CompactCook stoves")]
    plan = planner.plan(messages)
    assert plan.filters is not None and plan.filters.brand is None
    assert plan.filters.include_category == "Camping Stoves"
