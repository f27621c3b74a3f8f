# Results tables and figures (the report collects these separate targets).


rule text2text_table:
    input:
        metrics=text2text_runs("metrics.json"),
        histories=text2text_runs("history.csv"),
    output:
        csv=report("results/tables/text2text.csv", caption="../report/text2text_table.rst", category="Task 1: text2text"),
        markdown="results/tables/text2text.md",
        latex="results/tables/text2text.tex",
    log:
        "logs/report/text2text_table.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/text2text_table.py"


rule text2text_figures:
    input:
        metrics=text2text_runs("metrics.json"),
        histories=text2text_runs("history.csv"),
    output:
        accuracy=report("results/figures/text2text_accuracy_vs_fraction.png", caption="../report/text2text_accuracy.rst", category="Task 1: text2text"),
        curves=report("results/figures/text2text_learning_curves.png", caption="../report/text2text_curves.rst", category="Task 1: text2text"),
        carries=report("results/figures/text2text_accuracy_by_carries.png", caption="../report/text2text_carries.rst", category="Task 1: text2text"),
    log:
        "logs/report/text2text_figures.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/text2text_figures.py"
