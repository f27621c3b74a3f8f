"""The report's image-task section: sentences that quote the image tasks' results, and the section.

Every number is a ``Quantity`` read from a results file: img2text and text2img metrics, the
oracle bound, the digit reader's metrics.
"""

from arithgen.report.html import Findings, Section, Text
from arithgen.report.sentences import quantity


def _by_fraction(runs):
    return {m["train_fraction"]: (source, m) for source, m in runs}


def image_findings(img2text, bounds, text2img, text2text, reader):
    """Sentences on the image tasks. Arguments: [(source, metrics)] lists; ``reader``: one
    (source, metrics) or None. Runs pair up by train fraction."""
    sentences = []
    if reader:
        source, m = reader
        sentences.append(["The digit reader, trained on the train pool only, reads ",
                          quantity(m, source, "digit_accuracy", kind="percent"),
                          " of the held-out test digits right (",
                          quantity(m, source, "accuracy", kind="percent"),
                          " of all held-out symbol images, glyphs and blanks included)."])
    bounds, text2text = _by_fraction(bounds), {
        m["train_fraction"]: (s, m) for s, m in text2text if m["variant"] == "default"}
    for source, m in sorted(img2text, key=lambda run: run[1]["train_fraction"]):
        fraction = m["train_fraction"]
        sentence = ["img2text trained on ", quantity(m, source, "train_fraction", kind="fraction"),
                    " of the queries answers ", quantity(m, source, "exact_match", kind="percent"),
                    " of the test queries exactly, written by unseen writers"]
        if fraction in bounds:
            bound_source, bound = bounds[fraction]
            sentence += ["; a perfect calculator reading the same images through the digit reader would get ",
                         quantity(bound, bound_source, "oracle_bound", kind="percent"), " (the oracle bound)"]
        if fraction in text2text:
            t2t_source, t2t = text2text[fraction]
            sentence += [", and text2text (default) gets ", quantity(t2t, t2t_source, "exact_match", kind="percent"),
                         " from the query text"]
        sentences.append(sentence + ["."])
    for source, m in sorted(text2img, key=lambda run: run[1]["train_fraction"]):
        sentences.append([
            "text2img trained on ", quantity(m, source, "train_fraction", kind="fraction"),
            " draws answers that the digit reader reads as the true answer in ",
            quantity(m, source, "readability", kind="percent"), " of the test queries (",
            quantity(m, source, "char_readability", kind="percent"), " of the characters); real renderings "
            "of the true answers are read right in ", quantity(m, source, "real_readability", kind="percent"),
            ", and the answer its symbol head writes is right in ",
            quantity(m, source, "symbol_exact_match", kind="percent"), "."])
        sentences.append([
            "The drawn digits are smooth averages rather than handwriting: their mean gradient energy is ",
            quantity(m, source, "sharpness", "drawn", kind="number"), ", against ",
            quantity(m, source, "sharpness", "real", kind="number"), " for real digits and ",
            quantity(m, source, "sharpness", "class_mean", kind="number"),
            " for the pixel-wise mean of each digit class; per pixel, they differ from a real rendering by ",
            quantity(m, source, "pixel_mae", kind="number"), " on average (binary cross-entropy ",
            quantity(m, source, "pixel_bce", kind="number"), ")."])
    return sentences


def image_tasks_section(results, part):
    """Task 1 with images: img2text and text2img, scored with the digit reader. None without runs."""
    img2text, text2img = results.metrics("img2text"), results.metrics("text2img")
    if not img2text and not text2img:
        return None
    readers = results.metrics("digit_reader")
    blocks = [
        Text("The same arithmetic with images at one end. img2text reads the query as a row of 28x28 images "
             "(handwritten digits, drawn '+' and '-' glyphs, blanks for spaces) and writes the answer as text; "
             "text2img reads the query as text and draws the answer as images. Test queries use handwriting "
             "from the digit dataset's test images, which no model trained on. An independent CNN digit "
             "reader, trained on the training images only, scores both tasks: it sets img2text's oracle "
             "bound and reads what text2img draws."),
        Findings(image_findings(img2text, results.metrics("oracle_bound"), text2img, results.metrics("text2text"),
                                readers[0] if readers else None)),
        *[block for block in (
            results.table("tasks", caption="tasks_table"),
            results.figure("img2text_examples"),
            results.figure("text2img_samples"),
            results.figure("text2img_readability"),
        ) if block is not None],
    ]
    sources = [path for path, _ in img2text + text2img + results.metrics("oracle_bound") + readers]
    return Section(part, "image-tasks", "img2text and text2img: arithmetic with handwritten digits", blocks,
                   sources=sorted(sources))
