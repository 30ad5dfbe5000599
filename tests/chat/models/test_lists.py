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


def test_a_lead_in_wrapped_over_lines_keeps_its_items_of_several_sentences():
    content = (
        "Claims are paid monthly.\n"
        "Here are some tips for members who may be struggling with\n"
        "substance use disorder:\n"
        "• Seek help as soon as possible. Early treatment makes a\n"
        "difference.\n"
        "• Use your coverage. Read your plan.\n"
        "Overall, help is near.\n"
    )
    pieces = best_list(
        "What tips help with substance use disorder?", [make_hit("p.pdf#page=5", content)]
    )
    assert pieces == [
        (
            "Here are some tips for members who may be struggling with substance use disorder: "
            "Seek help as soon as possible. Early treatment makes a difference. "
            "Use your coverage. Read your plan.",
            "p.pdf#page=5",
        )
    ]
