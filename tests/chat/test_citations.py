from chat.citations import find_citations, keep_known_citations


def test_citations_are_found_once_each_in_order_and_other_brackets_are_ignored():
    text = "A [b.pdf#page=2]. B [p.csv#id=7][b.pdf#page=2] C [sic] [1] D [r.pdf#page=1(f1_1.png)]"
    assert find_citations(text) == ["b.pdf#page=2", "p.csv#id=7", "r.pdf#page=1(f1_1.png)"]


def test_unknown_citations_are_removed_and_reported():
    text, removed = keep_known_citations("Yes. [a.pdf#page=1] No. [made-up.pdf]", {"a.pdf#page=1"})
    assert text == "Yes. [a.pdf#page=1] No."
    assert removed == ["made-up.pdf"]
