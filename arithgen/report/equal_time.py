"""The equal-time comparison, read from the learning curves: at the same train fraction and seed, how far
each other variant had got (best validation exact match) within the training seconds the reference variant
used in all, beside where it ended."""

from arithgen.plots.curves import best_within

REFERENCE = "default"


def equal_time(runs, seed=1, reference=REFERENCE):
    """{task: "equal_time", seed, reference, comparisons: [...]} from [(metrics, history)] of text2text runs.

    One comparison per (other variant, train fraction) where both variants ran with ``seed``: the reference's
    training seconds and best validation exact match, the other's best validation exact match within those
    seconds (None when its first epoch took longer), and its own seconds, best and how it stopped. Runs
    without a ``seed`` key count as ``seed``'s (single-seed results)."""
    chosen = {(m["variant"], m["train_fraction"]): (m, h) for m, h in runs
              if m.get("task", "text2text") == "text2text" and m.get("seed", seed) == seed}
    comparisons = []
    for (variant, fraction), (metrics, history) in sorted(chosen.items()):
        if variant == reference or (reference, fraction) not in chosen:
            continue
        ref_metrics, ref_history = chosen[(reference, fraction)]
        seconds = float(ref_history["seconds"].iloc[-1])
        comparisons.append({
            "variant": variant, "train_fraction": fraction,
            "reference_seconds": seconds,
            "reference_val_exact_match": float(ref_history["val_exact_match"].max()),
            "val_exact_match_at_reference_seconds": best_within(history, seconds),
            "seconds": float(history["seconds"].iloc[-1]),
            "best_val_exact_match": float(history["val_exact_match"].max()),
            "stopped": metrics.get("stopped"), "max_epochs": metrics.get("max_epochs"),
        })
    return {"task": "equal_time", "seed": seed, "reference": reference, "comparisons": comparisons}
