"""The error anatomy picks the lead variant's weakest fractions and, per run, the cases with most wrong answers."""

from arithgen.report.anatomy import error_anatomy
from arithgen.report.results import Doc


def _run(seed, fraction, train, test, cases):
    return Doc({"task": "text2text", "variant": "default", "seed": seed, "train_fraction": fraction,
                "train_exact_match": train, "exact_match": test,
                "by_case": {name: {"n": n, "errors": e, "exact_match": 1 - e / n} for name, (n, e) in cases.items()}},
               f"results/text2text/default/{fraction}/seed{seed}/metrics.json")


CASES = {"+,non-negative,1,3": (100, 1), "-,negative,2,3": (50, 9), "-,non-negative,1,2": (40, 4),
         "-,non-negative,0,3": (60, 4), "+,non-negative,0,4": (30, 0)}


def _point(fraction, runs, reached):
    return {"fraction": runs[0]["train_fraction"], "runs": runs, "reached": reached}


def test_weakest_fractions_and_worst_cases():
    points = [_point(0.001, [_run(1, 0.001, 0.70, 0.40, CASES), _run(2, 0.001, 1.0, 0.45, CASES)], False),
              _point(0.0025, [_run(1, 0.0025, 1.0, 0.98, CASES)], False),
              _point(0.005, [_run(1, 0.005, 1.0, 0.995, CASES)], False),
              _point(0.01, [_run(1, 0.01, 1.0, 0.999, CASES)], True)]
    anatomy = error_anatomy(points, 0.99)
    # The two smallest fractions below the threshold, every seed.
    assert [p["fraction"].value for p in anatomy] == [0.001, 0.0025]
    assert [a["fits"] for a in anatomy[0]["runs"]] == [False, True]
    assert [p["fits"] for p in anatomy] == ["some", "all"]
    # The weakest seed's cases: seed 1 (40%) at 0.1%.
    assert anatomy[0]["weakest"]["run"]["seed"].value == 1
    worst = anatomy[0]["weakest"]["cases"]
    # Most wrong answers first; equal counts in name order; cases without errors never listed.
    assert [(c["operator"], c["negative"], c["carries"], c["digits"], c["errors"].value) for c in worst] == [
        ("-", True, 2, 3, 9), ("-", False, 0, 3, 4), ("-", False, 1, 2, 4)]
    assert worst[0]["errors"].source.endswith("0.001/seed1/metrics.json")
    assert worst[0]["errors"].key == ("by_case", "-,negative,2,3", "errors")


def test_runs_without_the_breakdown_are_skipped():
    old = Doc({"task": "text2text", "seed": 1, "train_fraction": 0.001, "exact_match": 0.4}, "old.json")
    assert error_anatomy([_point(0.001, [old], False)], 0.99) == []
