from chat.citations import find_citations, keep_known_citations, known_citations
from tests.chat.fakes import make_hit


def test_citations_are_found_once_each_in_order_and_other_brackets_are_ignored():
    text = "A [b.pdf#page=2]. B [p.csv#id=7][b.pdf#page=2] C [sic] [1] D [r.pdf#page=1(f1_1.png)]"
    assert find_citations(text) == ["b.pdf#page=2", "p.csv#id=7", "r.pdf#page=1(f1_1.png)"]


def test_unknown_citations_are_removed_and_reported():
    text, removed = keep_known_citations("Yes. [a.pdf#page=1] No. [made-up.pdf]", {"a.pdf#page=1"})
    assert text == "Yes. [a.pdf#page=1] No."
    assert removed == ["made-up.pdf"]


def test_a_chunk_across_a_page_break_may_cite_each_of_its_pages():
    chunk = "Deductibles reset in January.\n[Page 8]\nSpecialist copays are $40."
    hits = [make_hit("plan.pdf#page=7", chunk, images=("figures/figure8_1.png",))]
    assert known_citations(hits) == {
        "plan.pdf#page=7",
        "plan.pdf#page=8",
        "plan.pdf#page=7(figure8_1.png)",
        "plan.pdf#page=8(figure8_1.png)",
    }


def test_an_answer_keeps_the_citation_of_the_page_its_sentence_is_on():
    hits = [make_hit("plan.pdf#page=7", "Intro.\n[Page 8]\nSpecialist copays are $40.")]
    answer = "Specialist copays are $40. [plan.pdf#page=8]"
    assert keep_known_citations(answer, known_citations(hits)) == (answer, [])
