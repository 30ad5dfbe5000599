from chat.models.lists import best_list
from tests.chat.fakes import make_hit


def test_a_list_across_a_page_break_keeps_its_items_and_cites_the_page_each_is_on():
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
        ("To file an appeal: Write to the plan.", "plan.pdf#page=3"),
        ("Include the denial letter. Send it within 60 days.", "plan.pdf#page=4"),
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


CARE = (
    "- Store the bag loose in the cotton storage sack.\n"
    "- Spot-clean the shell with a damp cloth.\n"
    "- Never dry-clean the bag.\n"
)


def test_a_section_whose_heading_names_what_is_asked_answers_with_its_items():
    # Only the heading path says "care" and "sleeping bag"; the items do not.
    care = make_hit(
        "bag.md", CARE, title="Dormouse Sleeping Bag: Owner's Manual > Care and Cleaning"
    )
    use = make_hit(
        "bag.md",
        "- Shake the bag out before bed.\n- Sleep on an insulated mat.\n",
        title="Dormouse Sleeping Bag: Owner's Manual > Use",
    )

    pieces = best_list("What should I do to care for my sleeping bag?", [use, care])

    assert pieces == [
        (
            "Care and Cleaning: Store the bag loose in the cotton storage sack. "
            "Spot-clean the shell with a damp cloth. Never dry-clean the bag.",
            "bag.md",
        )
    ]


def test_the_section_of_the_thing_asked_wins_over_the_same_section_of_another():
    tent = make_hit("tent.md", CARE, title="Ptarmigan Tent: Owner's Manual > Care and Cleaning")
    bag = make_hit("bag.md", CARE, title="Dormouse Sleeping Bag: Manual > Care and Cleaning")

    pieces = best_list("How do I care for my sleeping bag?", [tent, bag])

    assert pieces is not None and pieces[0][1] == "bag.md"


def test_a_lead_in_whose_items_all_lie_on_the_next_page_cites_each_page_apart():
    content = "To file an appeal:\n[Page 4]\n• Write to the plan.\n• Send it within 60 days.\n"

    pieces = best_list("How do I file an appeal?", [make_hit("plan.pdf#page=3", content)])

    assert pieces == [
        ("To file an appeal:", "plan.pdf#page=3"),
        ("Write to the plan. Send it within 60 days.", "plan.pdf#page=4"),
    ]
