from chat.models.quotable import QuotedSentence, quotable_sentences


def quoted(content: str, citation: str = "plan.pdf#page=3") -> list[QuotedSentence]:
    return list(quotable_sentences(content, citation))


def test_the_tail_of_a_sentence_begun_in_the_chunk_before_is_not_quoted():
    content = "hospital after your surgery, the plan pays.\nSome surgery is not covered."
    assert quoted(content) == [QuotedSentence("Some surgery is not covered.", "plan.pdf#page=3")]


def test_a_sentence_across_a_page_break_is_one_sentence_cited_where_it_starts():
    content = (
        "Claims are paid. If you stay overnight in a\n[Page 4]\nhospital, the plan pays.\nCall us."
    )
    assert quoted(content) == [
        QuotedSentence("Claims are paid.", "plan.pdf#page=3"),
        QuotedSentence("If you stay overnight in a hospital, the plan pays.", "plan.pdf#page=3"),
        QuotedSentence("Call us.", "plan.pdf#page=4"),
    ]


def test_a_finished_sentence_before_a_page_break_keeps_its_page():
    content = "Claims are paid.\n[Page 4]\nDental care is covered."
    assert [s.citation for s in quoted(content)] == ["plan.pdf#page=3", "plan.pdf#page=4"]


def test_the_documents_own_questions_and_headings_are_not_answers():
    content = "Calendar Year Deductible\nWhat is a deductible?\nA deductible is paid first."
    assert [s.text for s in quoted(content)] == ["A deductible is paid first."]


def test_a_figures_words_are_never_joined_to_prose():
    content = "Sales rose in\n[Figure figure3_1.png] growth by region\nthe north."
    texts = [(s.text, s.citation) for s in quoted(content)]
    assert ("growth by region", "plan.pdf#page=3(figure3_1.png)") in texts


def test_a_figure_line_that_opens_a_chunk_is_quoted_though_its_words_start_in_lower_case():
    # The splitter never cuts a figure line, so it is no tail of a sentence begun before.
    content = "[Figure figure3_1.png] a bar chart of claims by month\nClaims rose in May."
    assert [s.text for s in quoted(content)] == [
        "a bar chart of claims by month",
        "Claims rose in May.",
    ]
