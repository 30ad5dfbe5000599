from __future__ import annotations

import pytest

from retrieval.fts_query import fts_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title:"Trail shoes" AND (size 42)', "title trail shoes and size 42"),
        ('"unbalanced', "unbalanced"),
        ("OR", "or"),
        ("Café crème", "café crème"),
        ("  \t\n", ""),
        ("*?!()[]{}^~:", ""),
    ],
)
def test_only_lower_cased_words_survive(text: str, expected: str) -> None:
    assert fts_terms(text) == expected
