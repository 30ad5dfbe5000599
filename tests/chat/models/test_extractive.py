import pytest

from chat.models.extractive import DONT_KNOW, ExtractiveAnswerer
from ridgeline.errors import ModelError
from ridgeline.protocols import ChatModel
from ridgeline.types import ChatMessage, ChunkKind
from tests.chat.fakes import make_hit
from tests.chat.models.test_composers import _product

TENT = (
    "Name: TrailMaster X4 Tent\nCategory: Tents\nBrand: OutdoorLiving\nPrice: $250.00\n"
    "Description: The TrailMaster X4 Tent sleeps four people. It packs into a small bag."
)
OTHER_TENT = "Name: Alpine Explorer Tent Category: Tents Price: $350.00 Brand: AlpineGear"
POLICY = (
    "# Returns\nReturns are accepted within 30 days of purchase.\n"
    "Shipping is free for orders over $50. Our stores open at 9 am."
)


@pytest.fixture
def sources():
    return [
        make_hit("products.csv#id=7", TENT, kind=ChunkKind.CATALOG),
        make_hit("products.csv#id=8", OTHER_TENT, kind=ChunkKind.CATALOG),
        make_hit("policies.pdf#page=3", POLICY),
    ]


def ask(question, sources):
    return ExtractiveAnswerer().answer([ChatMessage(role="user", content=question)], sources)


def test_it_is_a_chat_model():
    assert isinstance(ExtractiveAnswerer(), ChatModel)


def test_a_price_question_selects_the_price_field_of_the_named_product(sources):
    answer = ask("How much is the TrailMaster tent?", sources)
    assert answer.text == "TrailMaster X4 Tent - Price: $250.00. [products.csv#id=7]"
    assert answer.citations == ["products.csv#id=7"]


def test_the_sentence_with_the_answer_is_quoted_and_cited(sources):
    answer = ask("Within how many days are returns accepted?", sources)
    assert answer.text == "Returns are accepted within 30 days of purchase. [policies.pdf#page=3]"
    assert answer.citations == ["policies.pdf#page=3"]


def test_plural_and_suffix_forms_match(sources):
    answer = ask("Can I return items I purchased?", sources)
    assert answer.text.startswith("Returns are accepted within 30 days")


def test_prose_fields_are_quoted_without_their_key(sources):
    answer = ask("How many people does the TrailMaster sleep?", sources)
    assert answer.text == "The TrailMaster X4 Tent sleeps four people. [products.csv#id=7]"


def test_it_says_it_does_not_know_when_no_source_is_relevant(sources):
    answer = ask("What is the capital of France?", sources)
    assert answer.text == DONT_KNOW
    assert answer.citations == []


def test_it_says_it_does_not_know_without_sources():
    assert ask("How much is the TrailMaster tent?", []).text == DONT_KNOW


def test_the_answer_is_about_the_last_user_message(sources):
    messages = [
        ChatMessage(role="user", content="How much is the TrailMaster tent?"),
        ChatMessage(role="assistant", content="$250.00"),
        ChatMessage(role="user", content="Who makes the Alpine Explorer?"),
    ]
    answer = ExtractiveAnswerer().answer(messages, sources)
    assert answer.text == "Alpine Explorer Tent - Brand: AlpineGear. [products.csv#id=8]"


def test_sentences_answering_parts_of_the_question_are_stitched_in_rank_order():
    sources = [
        make_hit("a.md", "Kayaks must be rinsed after use in salt water."),
        make_hit("b.md", "Kayaks must be stored out of the sun."),
    ]
    answer = ask("How should kayaks be rinsed and stored?", sources)
    assert answer.text == (
        "Kayaks must be rinsed after use in salt water. [a.md] "
        "Kayaks must be stored out of the sun. [b.md]"
    )
    assert answer.citations == ["a.md", "b.md"]


def test_answers_are_deterministic(sources):
    first = ask("How much is the TrailMaster tent?", sources)
    again = ask("How much is the TrailMaster tent?", list(sources))
    assert first == again


def test_a_conversation_without_a_user_message_is_an_error(sources):
    with pytest.raises(ModelError, match="no user message"):
        ExtractiveAnswerer().answer([ChatMessage(role="assistant", content="Hi")], sources)


def test_a_record_whose_first_line_is_its_name_is_understood():
    # The catalog parser renders a record as its name, then "Key: value" lines and prose.
    record = "Summit Breeze Jacket\nCategory: Jackets\nPrice: $120.00\nA light jacket for hikes."
    sources = [make_hit("products.csv#id=3", record, kind=ChunkKind.CATALOG)]
    answer = ask("How much does the Summit Breeze jacket cost?", sources)
    assert answer.text == "Summit Breeze Jacket - Price: $120.00. [products.csv#id=3]"


def test_a_shortened_copy_of_a_chosen_sentence_is_not_repeated():
    sources = [
        make_hit("a.md", "The Basecamp tent weighs 4.9 kg and sleeps four."),
        make_hit("b.md", "A four-person dome. The Basecamp tent weighs\u2026"),
    ]
    answer = ask("How much does the Basecamp tent weigh?", sources)
    assert answer.text == "The Basecamp tent weighs 4.9 kg and sleeps four. [a.md]"


def test_how_much_with_a_weight_asks_for_the_weight_not_the_price():
    record = (
        "Halvard Basecamp 4 Tent\nCategory: Tents\nPrice: $549.00\n"
        "A four-person dome. It weighs 4.9 kg and has 5.6 square metres of floor."
    )
    sources = [make_hit("products.csv#id=3", record, kind=ChunkKind.CATALOG)]

    weight = ask("How much does the Halvard Basecamp 4 Tent weigh?", sources)
    price = ask("How much is the Halvard Basecamp 4 Tent?", sources)

    assert weight.text == (
        "Halvard Basecamp 4 Tent - It weighs 4.9 kg and has 5.6 square metres of floor. "
        "[products.csv#id=3]"
    )
    assert price.text == "Halvard Basecamp 4 Tent - Price: $549.00. [products.csv#id=3]"


def test_words_read_off_a_figure_cite_the_figure():
    chart = (
        "Markets grew steadily over five years.\n"
        "[Figure figure4_1.png] Visible text: 5-Year Trend of the S&P 500 Index 2018 2022\n"
        "Bond yields rose in the same period."
    )
    answer = ask(
        "What was the 5-year trend of the S&P 500 index?", [make_hit("r.pdf#page=4", chart)]
    )
    assert "[r.pdf#page=4(figure4_1.png)]" in answer.text
    assert "r.pdf#page=4(figure4_1.png)" in answer.citations


def test_a_price_read_off_a_product_photo_is_quoted_as_the_pictures_words():
    photo = (
        "[Image p09.png] Offline description (no vision model): mostly green. "
        "Visible text: Dormouse 20 Sleeping Bag SLEEPING BAGS $379.00."
    )
    answer = ask("How much does the Dormouse 20 Sleeping Bag cost?", [make_hit("p09.png", photo)])
    assert answer.text == (
        'The picture reads "Dormouse 20 Sleeping Bag SLEEPING BAGS $379.00". [p09.png]'
    )


def test_a_picture_label_does_not_answer_what_it_only_shares_the_subject_of():
    photo = (
        "[Image p09.png] Offline description (no vision model): mostly green. "
        "Visible text: Dormouse 20 Sleeping Bag SLEEPING BAGS $379.00."
    )
    hits = [make_hit("p09.png", photo), make_hit("p11.png", photo.replace("Dormouse 20", "Drift"))]
    assert ask("What should I do to care for my sleeping bag?", hits).text == DONT_KNOW
    assert "$379.00" in ask("What does the Dormouse 20 Sleeping Bag cost?", hits).text


def test_words_that_frame_the_question_need_not_be_in_the_answer(sources):
    question = "What are the key points to consider regarding returns according to the text?"
    answer = ask(question, sources)
    assert answer.text == "Returns are accepted within 30 days of purchase. [policies.pdf#page=3]"


HANDBOOK = [
    make_hit(
        "handbook.pdf#page=6", "We are committed to a safe work environment. Parking is free."
    ),
    make_hit("plan.pdf#page=31", "Home care visits are covered."),
]


def test_a_sentence_sharing_one_word_of_a_longer_question_is_not_an_answer():
    assert ask("What about working from home?", HANDBOOK).text == DONT_KNOW


def test_a_one_word_question_needs_only_that_word():
    assert ask("What about parking?", HANDBOOK).text == "Parking is free. [handbook.pdf#page=6]"


def test_a_question_word_no_source_holds_is_not_required_of_the_sentence(sources):
    # "long" is in no source: "returns" alone is enough support.
    answer = ask("How long do I have for returns?", sources)
    assert answer.text == "Returns are accepted within 30 days of purchase. [policies.pdf#page=3]"


def test_the_sentence_comes_from_the_page_that_covers_the_question():
    # Each sentence says three of the question's words; the question asks about the Plus plan,
    # which only the second page (through its document's name) covers.
    standard = "Our plan covers psychological testing when a doctor orders it."
    plus = "One tip: talk to your doctor before psychological testing."
    hits = [
        make_hit("Standard_Plan.pdf#page=47", standard),
        make_hit("Plus_Plan.pdf#page=49", plus),
    ]
    question = [ChatMessage(role="user", content="What tips cover psychological testing in Plus?")]
    without_pages = ExtractiveAnswerer().answer(question, hits)  # the default: off
    assert without_pages.citations[0] == "Standard_Plan.pdf#page=47"
    with_pages = ExtractiveAnswerer(page_weight=4.0).answer(question, hits)
    assert with_pages.citations[0] == "Plus_Plan.pdf#page=49"


def test_a_section_heading_names_what_its_sentences_are_about():
    # "warranty" is only in the heading: its sentences answer, though they never repeat it.
    warranty = make_hit(
        "lamp.md",
        "Fernhollow repairs defects in materials for five years from purchase. Zips for two.",
        title="Fernhollow Lamp: Owner's Manual > Warranty",
    )
    storage = make_hit(
        "lamp.md", "Store the lamp dry, with its battery out.", title="Fernhollow Lamp > Storage"
    )

    answer = ask("Fernhollow lamp warranty length?", [storage, warranty])

    assert answer.text.startswith(
        "Fernhollow repairs defects in materials for five years from purchase. [lamp.md]"
    )


def test_a_lead_in_is_quoted_with_its_items_each_cited_on_its_page():
    content = (
        "Members pay less in-network. Here are a few tips for your hospital coverage:\n"
        "• Check that the hospital is in-network.\n"
        "[Page 36]\n"
        "• Keep your hospital bills.\n"
    )

    answer = ask("Hospital coverage advice?", [make_hit("b.pdf#page=35", content)])

    assert answer.text == (
        "Here are a few tips for your hospital coverage: Check that the hospital is in-network. "
        "[b.pdf#page=35] Keep your hospital bills. [b.pdf#page=36]"
    )


def test_a_question_naming_one_product_is_not_answered_from_another_products_record():
    glowworm = _product(15, "Glowworm Headlamp", 39.0, "Lighting", "It is rated IPX4.")
    beacon = _product(16, "Beacon 600 Headlamp", 69.0, "Lighting", "It is rated IPX7.")
    question = [ChatMessage(role="user", content="Is the Glowworm headlamp waterproof?")]
    answer = ExtractiveAnswerer().answer(question, [beacon, glowworm])
    assert "IPX7" not in answer.text and "products.csv#id=16" not in answer.text


def test_sources_that_hold_too_few_of_the_questions_words_are_about_something_else():
    # Only "dream" is said anywhere: a table row about a dream holiday is no answer.
    row = make_hit("perks.md", "Senior staff get travel vouchers for a dream destination.")
    answer = ExtractiveAnswerer().answer(
        [ChatMessage(role="user", content="What's the temperature of a dream?")], [row]
    )
    assert answer.text == DONT_KNOW


def test_a_name_word_shared_with_plain_english_does_not_leave_out_other_products():
    # "summit" names the Summit Breeze Jacket by one of its two words: the tents stay.
    jacket = _product(3, "Summit Breeze Jacket", 120.0, "Clothing", "A light jacket.")
    tent = _product(
        8, "Alpine Explorer Tent", 350.0, "Tents", "A tent that is best for the summit."
    )
    question = [ChatMessage(role="user", content="Which tent is best for the summit?")]
    answer = ExtractiveAnswerer().answer(question, [jacket, tent])
    assert "products.csv#id=8" in answer.text
