"""Error anatomy of the lead text2text variant where it is weakest: at its smallest train fractions below the
threshold, per seed, the training against the test exact match (does the run underfit or memorise?) and the
cases (operator × sign of the result × carries/borrows × result digits) that hold most of its wrong answers.

Numbers stay ``Traced`` into the runs' metrics files (``by_case``, ``train_exact_match``).
"""

FRACTIONS = 2  # the smallest fractions below the threshold that the anatomy looks at
CASES = 3  # the cases with the most wrong answers, per run


def _case(name, part):
    """``'-,negative,2,3'`` and its {n, errors, exact_match} -> the case's parts and numbers."""
    operator, sign, carries, digits = name.split(",")
    return {"operator": operator, "negative": sign == "negative", "carries": int(carries), "digits": int(digits),
            "n": part["n"], "errors": part["errors"], "exact_match": part["exact_match"]}


def _run_anatomy(run, threshold):
    """One run: its training and test exact match, whether it fits its training queries, and its worst cases."""
    cases = run["by_case"]
    worst = sorted((name for name in cases if cases.raw(name)["errors"] > 0),
                   key=lambda name: (-cases.raw(name)["errors"], name))[:CASES]
    return {"run": run, "fits": run.raw("train_exact_match") >= threshold,
            "cases": [_case(name, cases[name]) for name in worst]}


def error_anatomy(lead_points, threshold):
    """[{fraction, runs: [_run_anatomy] (by seed), fits: all/none/some, weakest: the lowest-scoring run's
    _run_anatomy}] for the smallest ``FRACTIONS`` points of the lead variant where some seed is below
    ``threshold``; points whose runs lack the breakdown are skipped (earlier metrics files)."""
    points = [p for p in lead_points if not p["reached"]
              and all("by_case" in r and "train_exact_match" in r for r in p["runs"])]
    anatomy = []
    for point in points[:FRACTIONS]:
        runs = [_run_anatomy(r, threshold) for r in point["runs"]]
        fitting = sum(a["fits"] for a in runs)
        anatomy.append({"fraction": point["fraction"], "runs": runs,
                        "fits": "all" if fitting == len(runs) else "none" if fitting == 0 else "some",
                        "weakest": min(runs, key=lambda a: (a["run"].raw("exact_match"), a["run"].raw("seed")))})
    return anatomy
