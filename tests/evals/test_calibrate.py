import numpy as np

from assistant.grounding import FEATURES
from evals.calibrate import MAX_DECLINED, calibrate, fit_logistic


def test_logistic_fit_separates_and_reports_raw_scale_coefficients() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal(0.8, 0.1, (200, 2)), rng.normal(0.3, 0.1, (200, 2))])
    y = np.r_[np.ones(200), np.zeros(200)]
    coef, intercept = fit_logistic(x, y)
    p = 1 / (1 + np.exp(-(x @ coef + intercept)))
    assert ((p >= 0.5) == (y == 1)).mean() > 0.97 and (coef > 0).all()


def test_calibration_declines_at_most_the_allowed_share_of_answerable_questions() -> None:
    rng = np.random.default_rng(1)

    def row(answerable: bool) -> dict:
        base = 0.7 if answerable else 0.5
        feats = {f: float(rng.normal(base, 0.15)) for f in FEATURES}
        feats["unknown"] = float(rng.uniform(0, 0.3 if answerable else 0.8))
        return {"answerable": answerable, "strength": feats["strength"], "signals": feats}

    rows = [row(True) for _ in range(300)] + [row(False) for _ in range(100)]
    out = calibrate(rows)
    assert out["dev"]["answerable_declined"] <= MAX_DECLINED + 0.01
    assert out["dev"]["unanswerable_declined"] > 0.3
    assert [name for name, _ in out["coefficients"]] == list(FEATURES)
    assert out["abstain_threshold"] <= min(r["strength"] for r in rows if r["answerable"])


def test_hedge_marks_the_least_certain_answers_on_dev() -> None:
    from evals.calibrate import HEDGE_SHARE

    rng = np.random.default_rng(2)

    def row(answerable: bool) -> dict:
        feats = {f: float(rng.normal(0.7 if answerable else 0.5, 0.15)) for f in FEATURES}
        return {"answerable": answerable, "strength": feats["strength"], "signals": feats}

    out = calibrate([row(True) for _ in range(300)] + [row(False) for _ in range(100)])
    assert out["threshold"] <= out["hedge_below"] < 1.0
    assert abs(out["dev"]["answerable_hedged"] - HEDGE_SHARE) < 0.02
    # Wrong answers are the unsure ones more often than right answers are.
    assert out["dev"]["unanswerable_answered_hedged"] > out["dev"]["answerable_hedged"]
