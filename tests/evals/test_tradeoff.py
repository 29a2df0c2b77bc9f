from assistant.grounding import GroundingPolicy
from evals.tradeoff import curve


def _row(answerable: bool, p_signal: float, settled: bool = False, strength: float = 0.9) -> dict:
    return {"answerable": answerable, "settled": settled, "strength": strength, "signals": {"dense": p_signal}}


def test_raising_the_threshold_declines_more_of_both_and_rules_decline_at_every_threshold() -> None:
    policy = GroundingPolicy(coefficients=(("dense", 10.0),), intercept=-5.0, threshold=0.5)  # p = σ(10·d − 5)
    rows = [_row(True, 0.9), _row(True, 0.6), _row(True, 0.45, settled=True),
            _row(False, 0.55), _row(False, 0.2), _row(False, 0.9, strength=0.1)]
    points = curve(rows, policy, floor=0.5, thresholds=(0.1, 0.7, 0.99))
    assert points[0] == {"threshold": 0.5, "answerable_declined": 0.333, "unanswerable_declined": 0.667}
    assert [p["answerable_declined"] for p in points[1:]] == [0.333, 0.333, 1.0]
    assert [p["unanswerable_declined"] for p in points[1:]] == [0.667, 1.0, 1.0]
