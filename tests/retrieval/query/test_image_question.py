from __future__ import annotations

import pytest

from retrieval.query.image_question import about_the_image


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("Which product is this?", ""),
        ("what's this", ""),
        ("Do you have anything similar?", ""),
        ("Do you carry the same one in the photo?", ""),
        ("How much is this?", ""),
        ("Tell me more about this item", ""),
        ("I'm looking for a jacket like this", "jacket"),
        ("Is this the TrailMaster X4?", "TrailMaster X4"),
        ("same backpack, but blue and 40L", "backpack blue 40L"),
    ],
)
def test_only_words_that_add_to_the_image_are_left(question: str, left: str) -> None:
    assert about_the_image(question) == left
