from chat.models.terms import content_terms, normalise, question_terms


def test_a_rating_code_also_says_the_plain_words_it_stands_for():
    assert {"ipx7", "waterproof"} <= content_terms("It is rated IPX7 and weighs 96 g.")
    splash = content_terms("It is rated IPX4.")
    assert "waterproof" not in splash and {"water", "resistant"} <= splash


def test_contractions_and_possessives_leave_no_word_fragments_to_ask_for():
    terms = question_terms("Why doesn't my stove light? What's in Northwind Health's plan?")
    assert terms.asked == {normalise(w) for w in ("stove", "light", "northwind", "health", "plan")}


def test_how_long_asks_for_a_duration_not_for_the_word_long():
    assert question_terms("How long do I have for returns?").asked == {normalise("returns")}
    assert "long" in question_terms("What is the long-term disability benefit?").asked
