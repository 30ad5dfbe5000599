import pytest

from eval.stats import bootstrap_ci, paired_permutation_p


def test_bootstrap_ci_contains_the_mean_and_is_seeded():
    values = [0.0, 1.0] * 50
    low, high = bootstrap_ci(values, seed=3)
    assert low < 0.5 < high
    assert (low, high) == bootstrap_ci(values, seed=3)
    assert low > 0.35 and high < 0.65  # about mean +- 1.96 * 0.05


def test_bootstrap_ci_of_constant_values_is_a_point():
    assert bootstrap_ci([0.7] * 10, seed=0) == pytest.approx((0.7, 0.7))
    assert bootstrap_ci([], seed=0) is None


def test_exact_permutation_p_by_hand():
    # 6 pairs all +1: only the all-plus and all-minus of 2**6 patterns are as extreme -> 2/64
    assert paired_permutation_p([1.0] * 6, [0.0] * 6, seed=0) == pytest.approx(2 / 64)
    # differences +1 and -1: the observed mean is 0, so every sign pattern is as extreme
    assert paired_permutation_p([1.0, 0.0], [0.0, 1.0], seed=0) == 1.0


def test_identical_runs_have_p_one_and_a_clear_gain_a_small_p():
    assert paired_permutation_p([0.5] * 30, [0.5] * 30, seed=0) == 1.0
    gain = paired_permutation_p([1.0] * 30, [0.0] * 30, seed=0, permutations=2000)
    assert gain == pytest.approx(1 / 2001)


def test_unpaired_lengths_are_refused():
    with pytest.raises(ValueError, match="differ in length"):
        paired_permutation_p([1.0], [1.0, 2.0], seed=0)
