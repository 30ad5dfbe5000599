from chat.followups import not_asked, offline_followups, split_followups
from ridgeline.types import ChunkKind
from tests.chat.fakes import make_hit


def test_llm_followup_markup_is_split_from_the_answer():
    text, questions = split_followups("It is $5. [p.csv#id=1]\n<<Is it red?>> <<Is it big?>>")
    assert text == "It is $5. [p.csv#id=1]"
    assert questions == ["Is it red?", "Is it big?"]


def tent(record_id: int, name: str, content: str, category: str = "Tents"):
    return make_hit(
        f"p.csv#id={record_id}", content, kind=ChunkKind.CATALOG, title=name, category=category
    )


HITS = [
    tent(1, "Alpine Tent", "Alpine Tent\nPrice: $250.00\nIt weighs 1.6 kg."),
    tent(2, "Ridge Tent", "Ridge Tent\nPrice: $320.00"),
    tent(3, "River Kayak", "River Kayak\nPrice: $900.00", category="Boats"),
    make_hit("manual.md", "The Alpine Tent has a five-year warranty.", title="Warranty terms"),
    make_hit("images/p03.png", "Image: p03", title="p03"),
    make_hit("c.csv#id=9", "item", kind=ChunkKind.CATALOG, title="Information about item: 9"),
]


def test_offline_followups_ask_about_the_product_what_was_not_asked_then_compare():
    assert offline_followups("How much is the Alpine tent?", HITS) == [
        "What is the warranty on the Alpine Tent?",
        "How much does the Alpine Tent weigh?",
        "How does the Alpine Tent compare with the Ridge Tent?",
    ]


def test_offline_followups_offer_other_products_and_topics_never_file_names_or_ids():
    questions = offline_followups("Which boats and tents do you sell?", HITS)
    assert questions == [
        "What is the Alpine Tent?",
        "What is the Ridge Tent?",
        "What is the River Kayak?",
    ]
    everything = offline_followups("Anything?", HITS[3:])
    assert everything == ["What do the sources say about Warranty terms?"]


def test_offline_followups_never_suggest_what_the_user_already_asked():
    earlier = [
        "What is the warranty on the Alpine Tent?",
        "how does the alpine tent compare with the ridge tent",
    ]
    questions = offline_followups("How much is the Alpine tent?", HITS, asked=earlier)
    assert questions == [
        "How much does the Alpine Tent weigh?",
        "What is the River Kayak?",
        "What do the sources say about Warranty terms?",
    ]


def test_llm_followups_already_asked_are_dropped_by_not_asked():
    suggested = ["Is it red?", "Is it  RED", "Is it big?"]
    assert not_asked(suggested, ["is it big?"]) == ["Is it red?"]
