"""The retrieval gate of `make eval-retrieval`, kept green by the suite:
hybrid recall@3 of at least 0.95 in every language on the development
questions, and the abstain signal does not swallow answerable questions."""
import pytest

from knowledge.search import SearchIndex
from nlu.languages import LANGUAGES
from tests.eval.retrieval_eval import REQUIRED_RECALL_AT_3, evaluate


@pytest.fixture(scope="module")
def index():
    return SearchIndex.load()


@pytest.mark.parametrize("language", LANGUAGES)
def test_hybrid_recall_at_3(index, language):
    hybrid = evaluate(index, language)["hybrid"]
    assert hybrid["questions"] >= 30
    assert hybrid["recall@3"] >= REQUIRED_RECALL_AT_3, hybrid
    assert hybrid["answered"] >= 0.9, hybrid
