from eval.citations import citation_key, extract_citations, page_key

TRUTH = (
    "Balance billing is when a provider bills you for the difference between what they charge "
    "and what your insurance pays. In-network providers protect you from it."
    "[Northwind_Standard_Benefits_Details.pdf#page=7]"
)


def test_a_truth_string_yields_its_trailing_citation():
    assert extract_citations(TRUTH) == ["Northwind_Standard_Benefits_Details.pdf#page=7"]


def test_every_citation_form_of_the_protocol_is_found_in_order():
    text = (
        "Plans differ.[Benefit_Options.pdf#page=3] See the chart."
        "[Benefit_Options.pdf#page=3(figure1_2.png)] The hoodie[products.csv#id=42] "
        "is described in [notes.md]."
    )
    assert extract_citations(text) == [
        "Benefit_Options.pdf#page=3",
        "Benefit_Options.pdf#page=3(figure1_2.png)",
        "products.csv#id=42",
        "notes.md",
    ]


def test_repeated_citations_are_listed_once():
    text = "A.[a.pdf#page=1] B.[b.pdf#page=2] C.[ a.pdf#page=1 ]"
    assert extract_citations(text) == ["a.pdf#page=1", "b.pdf#page=2"]


def test_brackets_that_name_no_file_are_prose_not_citations():
    text = "As noted [1], the rule [sic] applies [see above] since [v1.2] and [e.g. this]."
    assert extract_citations(text) == []


def test_file_names_with_spaces_are_citations():
    assert extract_citations("Yes.[Northwind Health Plus.pdf#page=12]") == [
        "Northwind Health Plus.pdf#page=12"
    ]


def test_citation_keys_ignore_surrounding_space_but_not_case():
    assert citation_key("  a.pdf#page=7 ") == "a.pdf#page=7"
    assert citation_key("A.pdf#page=7") != citation_key("a.pdf#page=7")


def test_a_figure_citation_has_the_page_key_of_its_page():
    assert page_key("a.pdf#page=7(figure1_2.png)") == "a.pdf#page=7"
    assert citation_key("a.pdf#page=7(figure1_2.png)") != "a.pdf#page=7"


def test_citations_without_figures_are_their_own_page_key():
    assert page_key("a.pdf#page=7") == "a.pdf#page=7"
    assert page_key("products.csv#id=3") == "products.csv#id=3"
    assert page_key("notes(draft).md") == "notes(draft).md"


def test_figure_name_is_the_part_in_parentheses():
    from eval.citations import figure_name

    assert figure_name("a.pdf#page=7(figure1_2.png)") == "figure1_2.png"
    assert figure_name("a.pdf#page=7") is None
    assert figure_name("products.csv#id=3") is None


def test_strip_citations_removes_only_references():
    from eval.citations import strip_citations

    assert strip_citations("Costs vary.[a.pdf#page=7] See [1].").split() == [
        "Costs",
        "vary.",
        "See",
        "[1].",
    ]
