"""Hub extraction on real data (../shared/corpus): every card and API response processed without
an exception, declared licenses normalised faithfully, and accuracy floors on a labelled set of
69 real documents (tests/fixtures/hub_labels.json, labelled by reading the cards)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, corpus_or_skip
from evals.hub import evaluate_corpus, evaluate_labels, load_labels

LABELS = FIXTURES / "hub_labels.json"


@pytest.fixture(scope="module")
def corpus():
    corpus_or_skip("hf_cards")
    return corpus_or_skip()


@pytest.fixture(scope="module")
def corpus_report(corpus):
    return evaluate_corpus(corpus)


@pytest.fixture(scope="module")
def label_report(corpus):
    return evaluate_labels(corpus, load_labels(LABELS))


def test_every_document_is_processed_without_an_exception(corpus_report):
    assert corpus_report.documents["card"] >= 220 and corpus_report.documents["api_model"] >= 80
    assert corpus_report.exceptions == 0
    assert all(reason for (status, reason) in corpus_report.statuses if status != "ok")


def test_declared_licenses_survive_normalisation(corpus_report):
    assert corpus_report.declared >= 200
    assert corpus_report.declared_agree / corpus_report.declared >= 0.99, corpus_report.disagreements


def test_the_labelled_set_is_big_and_real():
    labels = load_labels(LABELS)
    assert len(labels) >= 40
    assert sum(label["source"].startswith("hf_cards/") for label in labels) >= 40


@pytest.mark.parametrize(
    ("field", "floor"),
    [
        ("license", 0.97),
        ("params_b", 0.95),
        ("modality", 0.95),
        ("commercial_use", 0.9),
        ("description_first_sentence", 0.7),
    ],
)
def test_accuracy_floors_on_the_labelled_set(label_report, field, floor):
    assert label_report.accuracy(field) >= floor, label_report.misses.get(field)


def test_variants_join_their_family_and_unrelated_models_stay_apart(label_report):
    apart, want_apart = label_report.unrelated_pairs
    # One labelled pair follows the older policy (a family is the base_model chain only):
    # flan-t5-xxl and flan-t5-large are two sizes of one line, which now share a family (issue 15).
    sizes_of_one_line = [m for m in label_report.family_misses if "flan-t5-xxl / google/flan-t5-large" in m]
    assert want_apart > 2000 and apart == want_apart - len(sizes_of_one_line) and len(sizes_of_one_line) <= 1, (
        label_report.family_misses
    )
    together, _ = label_report.variant_pairs
    # The misses are fine-tunes whose base is named only in prose ("based on Llama-2"): we do
    # not guess a base from prose, so these stay apart (see the issue note).
    assert together >= 14, label_report.family_misses
