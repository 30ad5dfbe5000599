from chat.sentences import split_fields, split_sentences


def test_sentences_split_at_end_punctuation_but_not_inside_numbers_or_abbreviations():
    text = "Tents start at $250.00 each. Bring e.g. a mat. Is it dry? Yes!"
    assert split_sentences(text) == [
        "Tents start at $250.00 each.",
        "Bring e.g. a mat.",
        "Is it dry?",
        "Yes!",
    ]


def test_hard_wrapped_lines_join_but_list_items_and_headings_stay_apart():
    text = "# Returns\nItems can be returned\nwithin 30 days.\n- keep the receipt\n- use the box"
    assert split_sentences(text) == [
        "# Returns",
        "Items can be returned within 30 days.",
        "- keep the receipt",
        "- use the box",
    ]


def test_catalog_fields_split_on_lines_and_inline_keys():
    assert split_fields("Name: TrailMaster X4 Tent Price: $250.00\nCategory: Tents") == [
        "Name: TrailMaster X4 Tent",
        "Price: $250.00",
        "Category: Tents",
    ]
