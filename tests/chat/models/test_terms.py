from chat.models.terms import content_terms


def test_a_rating_code_also_says_the_plain_words_it_stands_for():
    assert {"ipx7", "waterproof"} <= content_terms("It is rated IPX7 and weighs 96 g.")
    splash = content_terms("It is rated IPX4.")
    assert "waterproof" not in splash and {"water", "resistant"} <= splash
