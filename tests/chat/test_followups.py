from chat.followups import offline_followups, split_followups
from ridgeline.types import ChunkKind
from tests.chat.fakes import make_hit


def test_llm_followup_markup_is_split_from_the_answer():
    text, questions = split_followups("It is $5. [p.csv#id=1]\n<<Is it red?>> <<Is it big?>>")
    assert text == "It is $5. [p.csv#id=1]"
    assert questions == ["Is it red?", "Is it big?"]


def test_offline_followups_name_other_retrieved_subjects_not_the_asked_one():
    hits = [
        make_hit("p.csv#id=1", "Name: Alpine Tent", kind=ChunkKind.CATALOG, title="Alpine Tent"),
        make_hit("p.csv#id=2", "Name: River Kayak", kind=ChunkKind.CATALOG, title="River Kayak"),
        make_hit("guide.pdf#page=3", "Paddling basics."),
    ]
    assert offline_followups("How much is the Alpine tent?", hits) == [
        "What are the details of the River Kayak?",
        "What does guide say?",
    ]
