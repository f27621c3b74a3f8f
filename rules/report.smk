# The study report: tables and figures (PNG + PDF, CSV + Markdown + LaTeX) under results/report/,
# run information, and the page that shows them all (results/report/index.html).


rule text2text_table:
    input:
        metrics=text2text_runs("metrics.json"),
        histories=text2text_runs("history.csv"),
    output:
        csv=report("results/report/tables/text2text.csv", caption="../report/text2text_table.rst", category="Task 1: text2text"),
        markdown="results/report/tables/text2text.md",
        latex="results/report/tables/text2text.tex",
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
        accuracy=report("results/report/figures/text2text_accuracy_vs_fraction.png", caption="../report/text2text_accuracy.rst", category="Task 1: text2text"),
        curves=report("results/report/figures/text2text_learning_curves.png", caption="../report/text2text_curves.rst", category="Task 1: text2text"),
        carries=report("results/report/figures/text2text_accuracy_by_carries.png", caption="../report/text2text_carries.rst", category="Task 1: text2text"),
        pdfs=figure_pdfs("text2text_accuracy_vs_fraction", "text2text_learning_curves", "text2text_accuracy_by_carries"),
    log:
        "logs/report/text2text_figures.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/text2text_figures.py"


rule dataset_description:
    input:
        images="results/datasets/{dataset}/images.npz",
        provenance="results/datasets/{dataset}/provenance.json",
    output:
        samples=report("results/report/figures/{dataset}_samples.png", caption="../report/dataset_samples.rst", category="Data"),
        samples_pdf="results/report/figures/{dataset}_samples.pdf",
        classes=report("results/report/tables/{dataset}_classes.csv", caption="../report/dataset_classes.rst", category="Data"),
        classes_markdown="results/report/tables/{dataset}_classes.md",
        classes_latex="results/report/tables/{dataset}_classes.tex",
    log:
        "logs/report/dataset_description/{dataset}.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/dataset_description.py"


rule run_info:
    input:
        benchmarks=benchmark_files(),
        provenances=expand("results/datasets/{dataset}/provenance.json", dataset=report_datasets()),
        images=expand("results/datasets/{dataset}/images.npz", dataset=report_datasets()),
    output:
        json="results/report/run_info.json",
        config=report("results/report/config.yaml", caption="../report/run_info_config.rst", category="Run info"),
        run_info_environment=report("results/report/tables/run_info_environment.csv", caption="../report/run_info_environment.rst", category="Run info"),
        run_info_datasets=report("results/report/tables/run_info_datasets.csv", caption="../report/run_info_datasets.rst", category="Run info"),
        run_info_jobs=report("results/report/tables/run_info_jobs.csv", caption="../report/run_info_jobs.rst", category="Run info"),
        formatted=expand("results/report/tables/run_info_{table}.{ext}", table=["environment", "datasets", "jobs"], ext=["md", "tex"]),
    log:
        "logs/report/run_info.log",
    params:
        config=config,
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/run_info.py"


rule build_report:
    input:
        unpack(report_inputs),
    output:
        html=report("results/report/index.html", caption="../report/index.rst", category="Study report"),
    log:
        "logs/report/build_report.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/build_report.py"
