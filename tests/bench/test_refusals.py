from bench.refusals import score
from eval.dataset import QaItem

ASKED = QaItem(question="What is the deductible?", truth_citations=["plan.pdf#page=12"])


def test_an_answer_citing_extra_pages_matches_the_truth_but_loses_precision():
    narrow = "It is $1,500. [plan.pdf#page=12]"
    wide = "It is $1,500. [plan.pdf#page=12] Copays vary. [plan.pdf#page=3] [plan.pdf#page=4]"
    assert score([(ASKED, narrow)])["citation_precision"] == 1.0
    figures = score([(ASKED, wide)])
    assert figures["citations_matched"] == 1.0
    assert figures["citation_precision"] == 0.333
