import pytest

from assistant.service import Assistant
from evals.calibrate import strengths, threshold
from evals.runner import SEED_PATH, load_dataset


def test_threshold_is_the_midpoint_of_the_gap():
    rows = [{"answerable": True, "category": "paraphrase", "strength": 0.6, "cosine": 0.9, "cross_lingual": False},
            {"answerable": False, "category": "offtopic", "strength": 0.4, "cosine": 0.8, "cross_lingual": False},
            {"answerable": False, "category": "out_of_kb", "strength": 0.7, "cosine": 0.9, "cross_lingual": False}]
    t = threshold(rows)
    assert t["separable"] and t["threshold"] == pytest.approx(0.5)


@pytest.mark.slow
def test_the_shipped_threshold_separates_the_seed_set(embedded_assistant: Assistant):
    rows = strengths(embedded_assistant, load_dataset(SEED_PATH))
    t = threshold(rows)
    assert t["separable"], t
    assert t["strongest_offtopic"] < embedded_assistant.settings.abstain_threshold < t["weakest_answerable"]
