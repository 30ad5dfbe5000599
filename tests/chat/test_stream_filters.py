from chat.stream_filters import StreamEditor


def shown(editor, deltas):
    return "".join(editor.feed(d) for d in deltas) + editor.finish()


def test_a_known_citation_split_across_deltas_is_kept_whole():
    editor = StreamEditor(known={"a.pdf#page=1"})
    assert (
        shown(editor, ["Yes, it is", " [a.pdf#pa", "ge=1] sure."])
        == "Yes, it is [a.pdf#page=1] sure."
    )
    assert editor.removed == []


def test_an_unknown_citation_is_dropped_before_it_is_sent():
    editor = StreamEditor(known={"a.pdf#page=1"})
    text = shown(editor, ["Red [a.pdf#page=1]", " and blue [made", "-up.pdf]."])
    assert text == "Red [a.pdf#page=1] and blue."
    assert editor.removed == ["made-up.pdf"]


def test_followup_markup_is_held_back_not_shown():
    editor = StreamEditor(known=set())
    text = shown(editor, ["Done. <", "<What else?>> <<And then?>>"])
    assert text == "Done. "
    assert editor.followup_text == "<<What else?>> <<And then?>>"


def test_plain_brackets_that_never_close_are_released_at_the_end():
    editor = StreamEditor(known=set())
    assert shown(editor, ["a [b", " c"]) == "a [b c"
