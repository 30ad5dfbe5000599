from ingestion.parsers.tables import markdown_table


def test_rows_become_a_markdown_table_with_the_first_row_as_header() -> None:
    text = markdown_table([["Size", "Weight"], ["S", 1.5], ["M", None]])

    assert text == "| Size | Weight |\n|---|---|\n| S | 1.5 |\n| M |  |"


def test_ragged_rows_are_padded_and_pipes_and_newlines_escaped() -> None:
    text = markdown_table([["A", "B", "C"], ["x|y", "two\nlines"], [None, None]])

    assert text.split("\n") == ["| A | B | C |", "|---|---|---|", "| x\\|y | two lines |  |"]


def test_a_table_without_text_is_empty() -> None:
    assert markdown_table([[None, ""], []]) == ""
