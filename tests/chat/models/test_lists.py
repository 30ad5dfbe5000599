from chat.models.lists import best_list
from tests.chat.fakes import make_hit


def test_a_list_across_a_page_break_keeps_its_items_and_cites_its_lead_ins_page():
    content = (
        "Plans differ in many ways.\n"
        "[Page 3]\n"
        "To file an appeal:\n"
        "• Write to the plan.\n"
        "[Page 4]\n"
        "• Include the denial letter.\n"
        "• Send it within 60 days.\n"
    )
    pieces = best_list("How do I file an appeal?", [make_hit("plan.pdf#page=2", content)])
    assert pieces == [
        (
            "To file an appeal: Write to the plan. Include the denial letter. "
            "Send it within 60 days.",
            "plan.pdf#page=3",
        )
    ]
