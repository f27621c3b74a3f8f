"""How a training run ended, as its metrics record it (``stopped``).

A run ends at its plateau (``PATIENCE``), at the end of its cosine schedule (``SCHEDULE``), or cut off by its
epoch cap while still improving (``EPOCH_CAP``). The first two are the model's result; no table, figure or
finding presents a cut-off run as one.
"""

PATIENCE, SCHEDULE, EPOCH_CAP = "patience", "schedule", "epoch_cap"
FINISHED = (PATIENCE, SCHEDULE)


def stop_reason(recipe, epochs_done, best_epoch):
    """Why training ends after ``epochs_done`` epochs with ``best_epoch`` (0-based) kept: ``PATIENCE`` when
    the last ``patience`` epochs brought no validation gain (its plateau); ``SCHEDULE`` when a cosine
    schedule ran to its end (the rate has decayed to its floor, so the recipe is done, not cut off);
    else ``EPOCH_CAP`` (a constant rate stopped by the cap: still improving, not converged)."""
    plateau = recipe["patience"] and epochs_done - 1 - best_epoch >= recipe["patience"]
    if plateau:
        return PATIENCE
    return SCHEDULE if recipe.get("schedule") == "cosine" and epochs_done >= recipe["epochs"] else EPOCH_CAP


def stopping(recipe, history, best_epoch):
    """The metrics' record of how a ``fit_epochs`` run ended: its epoch cap and why it stopped."""
    return {"max_epochs": recipe["epochs"], "stopped": stop_reason(recipe, len(history), best_epoch)}
