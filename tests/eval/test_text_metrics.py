import pytest

from eval.text_metrics import cosine, lcs_length, rouge_l, semantic_similarity, token_f1, tokens


def test_tokens_are_lower_case_words_without_citations():
    assert tokens("The Plan's cost: $45![plan.pdf#page=3]") == ["the", "plan", "s", "cost", "45"]


def test_token_f1_by_hand():
    # answer: the cat sat (3), truth: a cat sat down (4); shared: cat, sat -> P 2/3, R 2/4
    assert token_f1("the cat sat", "a cat sat down") == pytest.approx(
        2 * (2 / 3) * 0.5 / (2 / 3 + 0.5)
    )
    assert token_f1("same words", "Same words.[x.pdf#page=1]") == 1.0
    assert token_f1("nothing shared", "other text") == 0.0


def test_token_f1_counts_repeated_tokens_once_per_occurrence():
    # answer: a a a b (4), truth: a b (2); shared: a, b -> P 2/4, R 2/2 -> F1 2/3
    assert token_f1("a a a b", "a b") == pytest.approx(2 / 3)


def test_token_f1_of_empty_texts():
    assert token_f1("", "") == 1.0
    assert token_f1("", "something") == 0.0


def test_lcs_length_by_hand():
    assert lcs_length(list("abcbdab"), list("bdcaba")) == 4  # e.g. "bcba"
    assert lcs_length([], ["a"]) == 0


def test_rouge_l_by_hand():
    # LCS of (a b c d) and (a c d) is 3: P 3/4, R 3/3 -> F 6/7
    assert rouge_l("a b c d", "a c d") == pytest.approx(6 / 7)
    # order matters for ROUGE-L but not for token F1
    assert rouge_l("d c b a", "a b c d") == pytest.approx(0.25)
    assert token_f1("d c b a", "a b c d") == 1.0


def test_cosine_by_hand():
    assert cosine([1.0, 0.0], [1.0, 1.0]) == pytest.approx(2**-0.5)
    assert cosine([0.0, 0.0], [1.0, 1.0]) == 0.0


def test_semantic_similarity_uses_the_embedder_without_citations(hashing_embedder):
    same = semantic_similarity(hashing_embedder, "dogs bark[a.pdf#page=1]", "dogs bark")
    assert same == pytest.approx(1.0)
    assert semantic_similarity(hashing_embedder, "dogs bark", "quantum flux") < 0.5


def _lcs_by_table(first: list[str], second: list[str]) -> int:
    table = [[0] * (len(second) + 1) for _ in range(len(first) + 1)]
    for i, a in enumerate(first, start=1):
        for j, b in enumerate(second, start=1):
            table[i][j] = (
                table[i - 1][j - 1] + 1 if a == b else max(table[i - 1][j], table[i][j - 1])
            )
    return table[-1][-1]


def test_the_fast_lcs_agrees_with_the_textbook_table():
    import random

    rng = random.Random(11)
    for _ in range(300):
        first = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        second = [rng.choice("abcdef") for _ in range(rng.randint(0, 30))]
        assert lcs_length(first, second) == _lcs_by_table(first, second)
