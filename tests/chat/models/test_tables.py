"""Table questions over tables as the parsers render them: Markdown blocks and CSV rows."""

from chat.models.composers import compose
from chat.models.table_answers import cell_answer, ranked_answer
from chat.models.tables import tables_in
from ridgeline.types import ChunkKind
from tests.chat.fakes import make_hit

REGIONS = (
    "| Region | Manager | Headcount |\n|---|---|---|\n| North | Alice Moreau | 42 |\n"
    "| South | Bram Okafor | 17 |\n| East | Chen Li | 28 |"
)
COPAYS = (
    "The plans differ in their copays.\n\n[Page 5]\n| Service | Standard copay | Plus copay |\n"
    "|---|---|---|\n| Primary care visit | $30 | $20 |\n| Specialist visit | $60 | $40 |"
)


def offices() -> list:
    rows = [("HQ", "Lisbon", "120"), ("Lab", "Porto", "45"), ("Depot", "Faro", "")]
    return [
        make_hit(
            f"offices.csv#id={n}",
            f"office: {o}\ncity: {c}" + (f"\ndesks: {d}" if d else ""),
            kind=ChunkKind.CATALOG,
        )
        for n, (o, c, d) in enumerate(rows, start=1)
    ]


def test_markdown_tables_and_csv_rows_become_tables_with_a_citation_per_row() -> None:
    hits = [make_hit("regions.xlsx#page=1", REGIONS), make_hit("plan.pdf#page=4", COPAYS)]
    regions, copays, office_table = tables_in([*hits, *offices()])
    assert regions.header == ("Region", "Manager", "Headcount")
    assert regions.rows[0].cells == ("North", "Alice Moreau", "42")
    # The table starts after a [Page 5] line: it is on page 5, not the chunk's page 4.
    assert copays.rows[1].citation == "plan.pdf#page=5"
    assert office_table.header == ("office", "city", "desks")
    assert [r.citation for r in office_table.rows][1] == "offices.csv#id=2"
    assert office_table.rows[2].cells == ("Depot", "Faro", "")


def test_the_cell_at_the_named_row_and_column_is_the_answer() -> None:
    tables = tables_in([make_hit("regions.xlsx#page=1", REGIONS)])
    assert cell_answer("Who manages the North region?", tables) == [
        ("The North region's manager is Alice Moreau.", "regions.xlsx#page=1")
    ]


def test_a_column_is_told_apart_by_the_words_only_it_has() -> None:
    tables = tables_in([make_hit("plan.pdf#page=4", COPAYS)])
    pieces = cell_answer("What is the specialist visit copay on the Plus plan?", tables)
    assert pieces == [("Plus copay for Specialist visit: $40.", "plan.pdf#page=5")]


def test_no_cell_when_the_row_or_the_column_is_ambiguous() -> None:
    tables = tables_in([make_hit("plan.pdf#page=4", COPAYS)])
    assert cell_answer("What is the copay for a visit?", tables) is None  # which visit, which plan
    assert cell_answer("What is the specialist visit copay?", tables) is None  # which plan
    regions = tables_in([make_hit("regions.xlsx#page=1", REGIONS)])
    assert cell_answer("Tell me about the North region", regions) is None  # no column asked


def test_a_wh_word_names_the_column_when_no_header_word_does() -> None:
    pieces = cell_answer("Where is the Lab office?", tables_in(offices()))
    assert pieces == [("The Lab office's city is Porto.", "offices.csv#id=2")]


def test_the_row_with_the_highest_or_lowest_value_is_ranked_with_its_citation() -> None:
    tables = tables_in([make_hit("regions.xlsx#page=1", REGIONS)])
    pieces = ranked_answer("Which region has the highest headcount?", tables, None, None)
    assert pieces is not None
    assert pieces[0] == (
        "North has the highest headcount of the 3 rows in the table: 42.",
        "regions.xlsx#page=1",
    )
    assert pieces[1][0] == "Then East: 28."
    fewest = ranked_answer("Which office has the fewest desks?", tables_in(offices()), None, None)
    assert fewest is not None
    assert fewest[0] == (
        "Lab has the fewest desks of the 2 rows in the table: 45.",
        "offices.csv#id=2",
    )
    assert fewest[-1] == ("The table gives no desks for Depot.", "")


def test_priced_catalog_rows_are_left_to_the_product_composers() -> None:
    catalog = [
        make_hit(
            "products.csv#id=7",
            "Name: Ridge Tent\nPrice: $250.00\nweight: 2 kg",
            kind=ChunkKind.CATALOG,
        )
    ]
    assert cell_answer("What is the weight of the Ridge Tent?", tables_in(catalog)) is None


def test_the_composer_answers_table_lookups_and_superlatives() -> None:
    hits = [make_hit("regions.xlsx#page=1", REGIONS)]
    lookup = compose("What is the headcount of the South region?", hits, has_image=False)
    assert lookup == [("The South region's headcount is 17.", "regions.xlsx#page=1")]
    ranked = compose("Which region has the lowest headcount?", hits, has_image=False)
    assert ranked is not None and ranked[0][0].startswith("South has the lowest headcount")


def test_identifiers_are_labels_not_quantities() -> None:
    samples = "| Sample | pH |\n|---|---|\n| S-01 | 7.4 |\n| S-02 | 6.2 |\n| S-03 | 8.1 |"
    tables = tables_in([make_hit("lab.pdf#page=1", samples)])
    pieces = ranked_answer("Which sample has the lowest pH?", tables, None, None)
    assert pieces is not None
    assert pieces[0] == (
        "S-02 has the lowest pH of the 3 rows in the table: 6.2.",
        "lab.pdf#page=1",
    )


def test_a_row_named_by_a_product_in_the_sources_is_left_to_the_products_record() -> None:
    guide = (
        "| Trip length | Base weight target | Suggested pack |\n|---|---|---|\n"
        "| One night | 6.5 kg | Scramble 30 |\n| Weekend | 8 kg | Scarp 45 |"
    )
    record = "Scarp 45 Backpack\nPrice: $199.00\nIt weighs 1.3 kg."
    hits = [
        make_hit("guide.pdf#page=4", guide),
        make_hit("products.csv#id=5", record, kind=ChunkKind.CATALOG, title="Scarp 45 Backpack"),
    ]
    question = "What is the weight of the Scarp 45 Backpack?"
    assert cell_answer(question, tables_in(hits[:1])) is not None  # the guide's row, alone
    answer = compose(question, hits, has_image=False)  # the record answers instead
    assert answer is not None and answer[0][1] == "products.csv#id=5" and "1.3 kg" in answer[0][0]


def test_a_row_labelled_by_a_stop_word_is_named_by_its_header_and_label() -> None:
    zones = "| Zone | Carrier |\n|---|---|\n| A | CityPost |\n| B | SwiftLine |"
    tables = tables_in([make_hit("shipping.docx", zones)])
    assert cell_answer("Which carrier serves Zone A?", tables) == [
        ("The A zone's carrier is CityPost.", "shipping.docx")
    ]
    assert cell_answer("Which carrier serves a zone?", tables) is None  # the article is no label
