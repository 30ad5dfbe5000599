from chat.models import compose_products
from chat.models.composers import compose
from chat.models.extractive import ExtractiveAnswerer
from chat.models.kinds import detect_kind
from chat.models.products import Product
from ridgeline.types import ChatMessage, Chunk, ChunkKind, SearchHit


def _product(number: int, name: str, price: float, category: str, prose: str) -> SearchHit:
    content = f"{name}\nCategory: {category}\nPrice: ${price:.2f}\n{prose}"
    chunk = Chunk(
        chunk_id=str(number),
        document_id="catalog",
        source="products.csv",
        citation=f"products.csv#id={number}",
        content=content,
        kind=ChunkKind.CATALOG,
        title=name,
        category=category,
        price=price,
    )
    return SearchHit(chunk=chunk, score=1.0 / number)


TENTS = [
    _product(2, "Ptarmigan 2 Tent", 389.0, "Tents", "A two-person tent. It weighs 1.62 kg."),
    _product(4, "Meadow 3 Tent", 179.0, "Tents", "A roomy three-person tent. It weighs 3.2 kg."),
    _product(3, "Basecamp 4 Tent", 549.0, "Tents", "A four-person dome. It weighs 4.9 kg."),
    _product(9, "Drift Sleeping Bag", 119.0, "Sleeping Bags", "A bag. It weighs 900 g."),
]


def test_kinds_are_told_apart() -> None:
    assert detect_kind("Which is the lightest tent?", has_image=False).attribute == "weight"
    assert detect_kind("Can you recommend a tent?", has_image=False).kind == "recommend"
    assert detect_kind("", has_image=True).kind == "identify"
    assert detect_kind("Do you have one like this under $200?", has_image=True).kind == "recommend"
    assert detect_kind("Is the tent waterproof?", has_image=False).kind == "yesno"


def test_the_lightest_tent_is_computed_within_the_category_and_cited() -> None:
    pieces = compose("Which is the lightest tent?", TENTS, has_image=False)
    assert pieces is not None
    assert "Ptarmigan 2 Tent" in pieces[0][0] and "1.62 kg" in pieces[0][0]
    assert pieces[0][1] == "products.csv#id=2"
    assert not any("Drift" in text for text, _ in pieces)  # a sleeping bag is not a tent


def test_a_recommendation_names_only_products_meeting_the_constraints() -> None:
    pieces = compose(
        "Which tent would you recommend for a family under $300?", TENTS, has_image=False
    )
    assert pieces is not None
    text = " ".join(t for t, _ in pieces)
    assert "Meadow 3 Tent ($179.00)" in text
    assert "Ptarmigan" not in text and "Basecamp" not in text


def test_when_nothing_fits_the_closest_is_named_with_why_it_misses() -> None:
    pieces = compose("Do you have a tent under $100?", TENTS, has_image=False)
    assert pieces is not None
    text = " ".join(t for t, _ in pieces)
    assert text.startswith("None of the tents found")
    assert "Meadow 3 Tent" in text and "$79.00 over" in text


def test_a_photo_alone_is_identified_as_the_best_match() -> None:
    pieces = compose("", TENTS, has_image=True)
    assert pieces is not None
    assert pieces[0][0].startswith("This looks like the Ptarmigan 2 Tent ($389.00)")


def test_a_list_question_gets_the_items_not_the_lead_in() -> None:
    chunk = Chunk(
        chunk_id="m",
        document_id="manual",
        source="bag.md",
        citation="bag.md",
        content="## Care and Cleaning\n\n- Store the bag loose.\n- Spot-clean the shell.\n",
        title="Manual",
    )
    pieces = compose(
        "How do I care for the bag?", [SearchHit(chunk=chunk, score=1.0)], has_image=False
    )
    assert pieces == [("Care and Cleaning: Store the bag loose. Spot-clean the shell.", "bag.md")]


def test_a_sentence_after_a_page_line_cites_its_own_page() -> None:

    chunk = Chunk(
        chunk_id="p",
        document_id="book",
        source="book.pdf",
        citation="book.pdf#page=7",
        content="Deductibles reset every January.\n[Page 8]\nThe copay for specialists is $40.",
        page_number=7,
    )
    answer = ExtractiveAnswerer().answer(
        [ChatMessage(role="user", content="What is the copay for specialists?")],
        [SearchHit(chunk=chunk, score=1.0)],
    )
    assert answer.text == "The copay for specialists is $40. [book.pdf#page=8]"


def test_a_quoted_lead_in_brings_its_items() -> None:

    chunk = Chunk(
        chunk_id="l",
        document_id="plan",
        source="plan.pdf",
        citation="plan.pdf#page=3",
        content="Prior authorization is required for these hospital services:\n"
        "- Inpatient stays\n- Outpatient surgery\n",
        page_number=3,
    )
    answer = ExtractiveAnswerer().answer(
        [ChatMessage(role="user", content="Which hospital services need prior authorization?")],
        [SearchHit(chunk=chunk, score=1.0)],
    )
    assert answer.text == (
        "Prior authorization is required for these hospital services: "
        "Inpatient stays. Outpatient surgery. [plan.pdf#page=3]"
    )


def test_a_superlative_says_which_products_it_compared_when_one_lacks_the_value() -> None:
    bivvy = _product(1, "Bivvy Solo 1 Tent", 229.0, "Tents", "A one-person tent.")
    pieces = compose("Which is the lightest tent?", [*TENTS, bivvy], has_image=False)
    assert pieces is not None
    assert pieces[0][0].startswith(
        "Of the 3 tents whose weight the sources give, the lightest is the Ptarmigan 2 Tent"
    )
    assert pieces[-1][0] == "The sources found give no weight for the Bivvy Solo 1 Tent."


def test_a_measure_asked_with_units_is_checked_and_a_miss_says_by_how_much() -> None:
    pieces = compose("Can you recommend a tent under 2 kg?", TENTS, has_image=False)
    assert pieces is not None
    assert "Ptarmigan 2 Tent ($389.00); 1.62 kg" in pieces[1][0]
    assert not any("Meadow" in text for text, _ in pieces)
    pieces = compose("Do you have a tent under 1500 g?", TENTS, has_image=False)
    assert pieces is not None
    assert pieces[0][0] == "None of the tents found meets every constraint."
    assert "its weight is 1.62 kg, above the 1.5 kg asked" in pieces[1][0]


def test_the_closest_miss_on_a_measure_is_the_one_nearest_to_it() -> None:
    meadow_first = [TENTS[1], TENTS[2], TENTS[0]]  # the heaviest ones ranked first
    pieces = compose("Do you have a tent under 1 kg?", meadow_first, has_image=False)
    assert pieces is not None
    assert pieces[1][0].startswith("The closest is the Ptarmigan 2 Tent")
    assert "its weight is 1.62 kg, above the 1 kg asked" in pieces[1][0]


CLOTHING = [
    _product(10, "Trail Pants", 75.0, "Hiking Clothing", "Khaki pants. They weigh 400 g."),
    _product(17, "RainGuard Hiking Jacket", 110.0, "Hiking Clothing", "A waterproof jacket."),
    _product(3, "Summit Breeze Jacket", 120.0, "Hiking Clothing", "A light jacket."),
    _product(2, "Adventurer Pack", 90.0, "Backpacks", "A 40 L pack."),
]


def test_a_kind_of_product_named_by_its_name_is_a_constraint_when_no_category_names_it() -> None:
    # "Hiking Clothing" holds pants too: a jacket is what the question asks for.
    pieces = compose("Recommend a jacket for rain under $100", CLOTHING, has_image=False)
    assert pieces is not None
    text = " ".join(t for t, _ in pieces)
    assert text.startswith("None of the jackets found meets every constraint.")
    assert "closest is the RainGuard Hiking Jacket ($110.00)" in text and "$10.00 over" in text
    assert "Pants" not in text and "Pack" not in text


def test_a_superlative_over_a_kind_of_product_ranks_only_that_kind() -> None:
    pieces = compose("What is the cheapest jacket?", CLOTHING, has_image=False)
    assert pieces is not None
    assert pieces[0][0].startswith("The cheapest of the 2 jackets found is the RainGuard")
    assert not any("Pants" in text or "Pack" in text for text, _ in pieces)


def test_a_comparison_with_no_attribute_asked_shows_every_fact_either_product_states() -> None:
    bags = [
        _product(7, "CozyNights Sleeping Bag", 100.0, "Sleeping Bags", "A polyester bag."),
        _product(14, "MountainDream Sleeping Bag", 130.0, "Sleeping Bags", "Rated to 15°F."),
    ]
    pieces = compose(
        "Compare the CozyNights and MountainDream sleeping bags.", bags, has_image=False
    )
    assert pieces is not None
    assert pieces[0] == (
        "The CozyNights Sleeping Bag: price $100.00; materials polyester.",
        "products.csv#id=7",
    )
    assert pieces[1][0].startswith(
        "The MountainDream Sleeping Bag: price $130.00; temperature rating 15°F"
    )
    assert (
        "The sources found give no temperature rating for the CozyNights Sleeping Bag.",
        "",
    ) in pieces


def test_a_recommended_product_found_only_by_its_picture_is_named_without_an_empty_summary() -> (
    None
):
    record = _product(18, "TrekStar Hiking Sandals", 70.0, "Hiking Footwear", "")
    pieces = compose("Which sandals do you sell?", [record], has_image=False)
    assert pieces is not None
    assert ("The TrekStar Hiking Sandals ($70.00).", "products.csv#id=18") in pieces


def test_a_superlative_no_product_states_says_so_and_names_what_was_looked_at() -> None:
    tents = [
        _product(1, "Ridge Tent", 250.0, "Tents", "A tent for four."),
        _product(15, "SkyView Tent", 200.0, "Tents", "A tent for two."),
    ]
    pieces = compose("Which is the lightest tent?", tents, has_image=False)
    assert pieces == [
        ("None of the 2 tents found states its weight, so none can be named:", ""),
        ("The Ridge Tent ($250.00).", "products.csv#id=1"),
        ("The SkyView Tent ($200.00).", "products.csv#id=15"),
    ]


def test_a_comparison_with_one_side_found_only_in_its_manual_answers_each_side() -> None:

    scarp = _product(5, "Halvard Scarp 45 Backpack", 199.0, "Backpacks", "A 45-litre pack.")
    manual = SearchHit(
        chunk=Chunk(
            chunk_id="m1",
            document_id="longhaul",
            source="longhaul65_manual.md",
            citation="longhaul65_manual.md",
            content="The Longhaul 65 is a 65-litre expedition backpack. Adjust the hip belt first.",
        ),
        score=0.5,
    )
    question = "What's the difference between the Scarp 45 and the Longhaul 65?"
    answer = ExtractiveAnswerer().answer(
        [ChatMessage(role="user", content=question)], [scarp, manual]
    )
    assert answer.text.startswith(
        "The Halvard Scarp 45 Backpack: price $199.00; capacity 45-litre."
    )
    assert (
        "The Longhaul 65 is a 65-litre expedition backpack. [longhaul65_manual.md]" in answer.text
    )


STOVES = [
    _product(12, "Pipsqueak Canister Stove", 49.0, "Stoves", "An ultralight screw-on stove."),
    _product(14, "Cookhouse 2-Burner Stove", 179.0, "Stoves", "A camp stove for car camping."),
]


def test_a_recommendation_keeps_the_products_whose_record_says_what_they_are_wanted_for() -> None:
    pieces = compose("Can you suggest a stove for car camping?", STOVES, has_image=False)
    assert pieces is not None
    text = " ".join(t for t, _ in pieces)
    assert "Cookhouse" in text and "Pipsqueak" not in text


def test_a_budget_is_not_a_use_the_record_must_state() -> None:
    # "under $70" must not pick the record that says "70 hours".
    lights = [
        _product(15, "Glowworm Headlamp", 39.0, "Lighting", "It runs 60 hours on low."),
        _product(16, "Beacon 600 Headlamp", 69.0, "Lighting", "It lasts 70 hours on low."),
    ]
    pieces = compose("Do you have a lighting under $70?", lights, has_image=False)
    assert pieces is not None
    text = " ".join(t for t, _ in pieces)
    assert "Glowworm" in text and "Beacon" in text


def test_a_product_stating_no_fact_gets_no_empty_facts_sentence() -> None:
    # An unpriced record with no measures: the side is left to the lookup, not "The X: ."
    bare = Product("Longhaul 65", None, None, "products.csv#id=7", 0, 1.0, "A backpack.")
    assert compose_products.facts_of([bare]) is None


def test_a_kind_of_product_is_called_by_its_word_as_written_in_the_plural() -> None:
    # The kind is matched by its stem ("compas", "shad"); answers call it by the name's word.
    compasses = [
        _product(21, "Pathfinder Compass", 39.0, "Navigation", "A baseplate compass."),
        _product(22, "Ridge Compass", 59.0, "Navigation", "A mirror compass."),
        _product(23, "Canopy Sun Shade", 89.0, "Shelters", "A shade for the beach."),
    ]
    pieces = compose("What is the lightest compass?", compasses, has_image=False)
    assert pieces is not None and pieces[0][0].startswith("None of the 2 compasses found")
    shades = compose("Recommend a shade under $50", compasses, has_image=False)
    assert shades is not None and shades[0][0] == "None of the shades found meets every constraint."
