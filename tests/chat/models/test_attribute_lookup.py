from chat.models.attribute_lookup import asked_attribute, attribute_answer
from chat.models.composers import compose
from tests.chat.models.test_composers import TENTS, _product

PACKS = [
    _product(
        6,
        "Longhaul 65 Backpack",
        289.0,
        "Backpacks",
        "A pack rated for loads up to 25 kg. It weighs 2.1 kg and has a rain cover.",
    ),
    _product(5, "Scarp 45 Backpack", 199.0, "Backpacks", "A 45-litre pack for fast weekends."),
]


def test_the_asked_attribute_of_the_named_product_comes_first_with_its_sentence() -> None:
    pieces = compose("How much does the Longhaul 65 Backpack weigh?", PACKS, has_image=False)

    assert pieces == [
        (
            "The Longhaul 65 Backpack ($289.00), weight: 2.1 kg "
            '("It weighs 2.1 kg and has a rain cover.")',
            "products.csv#id=6",
        )
    ]


def test_a_question_naming_no_single_product_or_no_stated_value_is_left_to_the_lookup() -> None:
    assert attribute_answer("How much does a tent weigh?", TENTS) is None
    assert attribute_answer("How heavy is the Scarp 45 Backpack?", PACKS) is None
    assert attribute_answer("What colour is the Scarp 45 Backpack?", PACKS) is None


def test_attribute_words_are_read_from_the_question() -> None:
    assert asked_attribute("How heavy is it?") == "weight"
    assert asked_attribute("What is the temperature rating of the Drift bag?") == "temperature"
    assert asked_attribute("How many people does the Meadow 3 sleep?") == "persons"
    assert asked_attribute("Where is it made?") is None


def test_the_price_of_the_named_product_is_its_catalog_price() -> None:
    pieces = compose("How much does the Scarp 45 Backpack cost?", PACKS, has_image=False)

    assert pieces == [("The Scarp 45 Backpack costs $199.00.", "products.csv#id=5")]
    assert asked_attribute("How much does the Scarp 45 Backpack weigh?") == "weight"


def test_a_price_asked_of_a_kind_of_product_answers_for_each_of_that_kind_found():
    sandals = [_product(18, "TrekStar Hiking Sandals", 70.0, "Hiking Footwear", "For summer.")]
    pieces = attribute_answer("how much are the sandals?", sandals)
    assert pieces == [("The TrekStar Hiking Sandals cost $70.00.", "products.csv#id=18")]


def test_what_a_product_is_made_of_is_answered_from_its_materials_with_their_sentence():
    boots = [_product(4, "TrekReady Hiking Boots", 140.0, "Footwear", "Crafted from leather.")]
    pieces = attribute_answer("What material are the TrekReady Hiking Boots made of?", boots)
    assert pieces == [
        (
            'The TrekReady Hiking Boots ($140.00), materials: leather ("Crafted from leather.")',
            "products.csv#id=4",
        )
    ]


def test_a_product_found_alone_is_not_named_by_its_kind_and_category_words():
    # Only the CozyNights record was found: "sleeping bag" does not make it the MountainDream.
    cozy = [_product(7, "CozyNights Sleeping Bag", 100.0, "Sleeping Bags", "A three-season bag.")]
    assert attribute_answer("How much is the MountainDream sleeping bag?", cozy) is None
    assert attribute_answer("How much is the CozyNights sleeping bag?", cozy) == [
        ("The CozyNights Sleeping Bag costs $100.00.", "products.csv#id=7")
    ]


def test_a_word_that_starts_a_sentence_is_not_a_name_the_product_lacks():
    sandals = [_product(18, "TrekStar Hiking Sandals", 70.0, "Hiking Footwear", "For summer.")]
    pieces = attribute_answer("Hello there. How much are the sandals?", sandals)
    assert pieces == [("The TrekStar Hiking Sandals cost $70.00.", "products.csv#id=18")]
