from chat.sentences import as_reading, is_heading, is_label_run, split_fields, split_sentences


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


def test_a_heading_line_without_markdown_does_not_glue_onto_its_paragraph():
    text = "Care and Cleaning\nStore the bag loose.\nWash it at 30 degrees."
    assert split_sentences(text) == [
        "Care and Cleaning",
        "Store the bag loose.",
        "Wash it at 30 degrees.",
    ]


def test_headings_and_chart_label_runs_are_told_from_prose():

    assert is_heading("Care and Cleaning") and is_heading("## Warranty")
    assert not is_heading("Store the bag loose.")
    assert is_label_run("-25% -15% -5% 5% 2014 2015 2016 2017")
    assert not is_label_run("Sales rose 5% in 2015 and fell in 2016.")


def test_a_heading_line_after_a_finished_sentence_starts_a_new_block():
    text = "Therapy is covered for 20 visits.\nExceptions\nMassage is not covered."
    assert split_sentences(text) == [
        "Therapy is covered for 20 visits.",
        "Exceptions",
        "Massage is not covered.",
    ]


def test_what_ocr_read_in_a_picture_is_said_as_a_reading_and_prose_is_left_alone():
    assert as_reading("Visible text: N Halvard\nTENTS $389.00.") == (
        'The picture reads "N Halvard TENTS $389.00".'
    )
    assert as_reading("Text in the image: SUMMIT 2,410 m") == 'The picture reads "SUMMIT 2,410 m".'
    assert as_reading("The visible text is small.") == "The visible text is small."


def test_a_long_heading_in_title_case_does_not_glue_onto_the_sentence_under_it():
    text = (
        "HOW PROVIDERS AFFECT YOUR COSTS: Benefits For Out-Of-Network Or Non-Contracted\n"
        "Providers\n"
        "The plan covers out-of-network providers; the cover is smaller.\n"
    )
    assert split_sentences(text)[-1] == (
        "The plan covers out-of-network providers; the cover is smaller."
    )


def test_a_long_line_of_prose_is_not_a_heading_for_its_capitals():

    assert not is_heading("Northwind Health Plus covers Out-Of-Network Providers at a Lower Rate")


def test_a_capitalised_lead_in_after_a_list_item_starts_its_own_line():
    text = "• Ensure compliance with all laws\nQualifications:\n• A degree in business"
    assert split_sentences(text) == [
        "• Ensure compliance with all laws",
        "Qualifications:",
        "• A degree in business",
    ]
    # After an unfinished line, a capitalised name with a colon ends that sentence.
    wrapped = "Here are tips for your cover with\nNorthwind Health Plus:\n1. Ask first."
    assert split_sentences(wrapped)[0] == "Here are tips for your cover with Northwind Health Plus:"
