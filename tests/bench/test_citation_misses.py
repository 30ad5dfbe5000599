from pathlib import Path

from bench.citation_misses import PageWords, cause, source_pages
from eval.dataset import QaItem
from tests.chat.fakes import make_hit

ITEM = QaItem(
    question="What is the deductible?",
    truth="The deductible is $1,500 a year. [plan.pdf#page=12]",
    truth_citations=["plan.pdf#page=12"],
)


def test_a_miss_is_told_by_where_the_truth_page_was():
    assert cause(ITEM, "It is $1,500. [plan.pdf#page=12]", ["plan.pdf#page=12"]) is None
    assert cause(ITEM, "I don't know.", ["plan.pdf#page=12"]) == "refused"
    assert cause(ITEM, "Copays vary. [plan.pdf#page=3]", ["plan.pdf#page=12"]) == "other page"
    assert cause(ITEM, "Copays vary. [plan.pdf#page=3]", ["plan.pdf#page=3"]) == "not retrieved"


def test_pages_a_chunk_runs_onto_count_as_retrieved():
    hit = make_hit("plan.pdf#page=11", "Copays vary.\n[Page 12]\nThe deductible is $1,500.")
    assert source_pages([hit]) == ["plan.pdf#page=11", "plan.pdf#page=12"]


def test_an_answer_citing_the_page_that_holds_the_truths_words_is_told_apart(tmp_path: Path):
    # The truth cites page 12, where its chunk began; its words are on page 13.
    words = PageWords(tmp_path)
    words.pages["plan.pdf"] = [frozenset()] * 11 + [
        frozenset({"copay", "list"}),
        frozenset({"yearly", "deductible", "1", "500", "year"}),
    ]
    answer = "The yearly deductible is $1,500. [plan.pdf#page=13]"
    pages = ["plan.pdf#page=12", "plan.pdf#page=13"]
    assert cause(ITEM, answer, pages, words) == "truth's words on cited page"
    assert cause(ITEM, answer, pages) == "other page"
