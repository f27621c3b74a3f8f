# The study report: tables and figures (PNG + PDF, CSV + Markdown + LaTeX) under results/report/,
# run information, and the page that shows them all (results/report/index.html) with its PDF
# (results/report/report.pdf, at most 10 A4 pages).


rule text2text_table:
    input:
        metrics=text2text_runs("metrics.json"),
        histories=text2text_runs("history.csv"),
    output:
        csv=report(
            "results/report/tables/text2text.csv",
            caption="../report/text2text_table.rst",
            category="Task 1: text2text",
        ),
        markdown="results/report/tables/text2text.md",
        latex="results/report/tables/text2text.tex",
        seeds=report(
            "results/report/tables/text2text_seeds.csv",
            caption="../report/text2text_seeds_table.rst",
            category="Task 1: text2text",
        ),
        seeds_markdown="results/report/tables/text2text_seeds.md",
        seeds_latex="results/report/tables/text2text_seeds.tex",
        equal_time="results/report/text2text_equal_time.json",
    log:
        "logs/report/text2text_table.log",
    benchmark:
        "benchmarks/report/text2text_table.tsv"
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/text2text_table.py"


rule text2text_figures:
    input:
        metrics=text2text_runs("metrics.json"),
        histories=text2text_runs("history.csv"),
    output:
        accuracy=report(
            "results/report/figures/text2text_accuracy_vs_fraction.png",
            caption="../report/text2text_accuracy.rst",
            category="Task 1: text2text",
        ),
        curves=report(
            "results/report/figures/text2text_learning_curves.png",
            caption="../report/text2text_curves.rst",
            category="Task 1: text2text",
        ),
        carries=report(
            "results/report/figures/text2text_accuracy_by_carries.png",
            caption="../report/text2text_carries.rst",
            category="Task 1: text2text",
        ),
        failures=report(
            "results/report/figures/text2text_failures.png",
            caption="../report/text2text_failures.rst",
            category="Task 1: text2text",
        ),
        pdfs=figure_pdfs(
            "text2text_accuracy_vs_fraction",
            "text2text_learning_curves",
            "text2text_accuracy_by_carries",
            "text2text_failures",
        ),
    log:
        "logs/report/text2text_figures.log",
    benchmark:
        "benchmarks/report/text2text_figures.tsv"
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/text2text_figures.py"


rule heldout_report:
    input:
        heldout=heldout_runs("metrics.json"),
        random=heldout_random_runs(),
    output:
        csv=report(
            "results/report/tables/heldout.csv",
            caption="../report/heldout_table.rst",
            category="Task 1: held-out structures",
        ),
        markdown="results/report/tables/heldout.md",
        latex="results/report/tables/heldout.tex",
        summary="results/report/heldout_summary.json",
        figure=report(
            "results/report/figures/heldout_accuracy.png",
            caption="../report/heldout_accuracy.rst",
            category="Task 1: held-out structures",
        ),
        pdfs=figure_pdfs("heldout_accuracy"),
    log:
        "logs/report/heldout_report.log",
    benchmark:
        "benchmarks/report/heldout_report.tsv"
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/heldout_report.py"


rule heldout_digit_pairs:
    input:
        heldout=heldout_runs("metrics.json", kinds=["digit_pairs"]),
    output:
        csv=report(
            "results/report/tables/heldout_digit_pairs.csv",
            caption="../report/heldout_digit_pairs.rst",
            category="Task 1: held-out structures",
        ),
        markdown="results/report/tables/heldout_digit_pairs.md",
        latex="results/report/tables/heldout_digit_pairs.tex",
    log:
        "logs/report/heldout_digit_pairs.log",
    benchmark:
        "benchmarks/report/heldout_digit_pairs.tsv"
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/heldout_digit_pairs.py"


rule dataset_description:
    input:
        images="results/datasets/{dataset}/images.npz",
        provenance="results/datasets/{dataset}/provenance.json",
    output:
        samples=report(
            "results/report/figures/{dataset}_samples.png",
            caption="../report/dataset_samples.rst",
            category="Data",
        ),
        samples_vectors=expand(
            "results/report/figures/{{dataset}}_samples.{ext}", ext=["pdf", "svg"]
        ),
        classes=report(
            "results/report/tables/{dataset}_classes.csv",
            caption="../report/dataset_classes.rst",
            category="Data",
        ),
        classes_markdown="results/report/tables/{dataset}_classes.md",
        classes_latex="results/report/tables/{dataset}_classes.tex",
    log:
        "logs/report/dataset_description/{dataset}.log",
    benchmark:
        "benchmarks/report/dataset_description/{dataset}.tsv"
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/dataset_description.py"


rule run_info:
    input:
        benchmarks=benchmark_files(),
        provenances=expand(
            "results/datasets/{dataset}/provenance.json", dataset=report_datasets()
        ),
        images=expand(
            "results/datasets/{dataset}/images.npz", dataset=report_datasets()
        ),
        defaults=f"{workflow.basedir}/config.yaml",
    output:
        json="results/report/run_info.json",
        config=report(
            "results/report/config.yaml",
            caption="../report/run_info_config.rst",
            category="Run info",
        ),
        run_info_environment=report(
            "results/report/tables/run_info_environment.csv",
            caption="../report/run_info_environment.rst",
            category="Run info",
        ),
        run_info_datasets=report(
            "results/report/tables/run_info_datasets.csv",
            caption="../report/run_info_datasets.rst",
            category="Run info",
        ),
        run_info_jobs=report(
            "results/report/tables/run_info_jobs.csv",
            caption="../report/run_info_jobs.rst",
            category="Run info",
        ),
        formatted=expand(
            "results/report/tables/run_info_{table}.{ext}",
            table=["environment", "datasets", "jobs"],
            ext=["md", "tex"],
        ),
    log:
        "logs/report/run_info.log",
    benchmark:
        "benchmarks/report/run_info.tsv"
    conda:
        "../envs/arithgen.yaml"
    params:
        config=config,
    script:
        "../scripts/run_info.py"


rule build_report:
    input:
        unpack(report_inputs),
    output:
        html=report(
            "results/report/index.html",
            caption="../report/index.rst",
            category="Study report",
        ),
        pdf=report(
            "results/report/report.pdf",
            caption="../report/report_pdf.rst",
            category="Study report",
        ),
        seeds="results/report/seeds.json",
    log:
        "logs/report/build_report.log",
    benchmark:
        "benchmarks/report/build_report.tsv"
    conda:
        "../envs/arithgen.yaml"
    params:
        catalog=lambda wildcards: report_catalog(),
    script:
        "../scripts/build_report.py"


rule image_tasks_table:
    input:
        unpack(image_task_metrics),
        text2text=text2text_beside_images,
    output:
        csv=report(
            "results/report/tables/tasks.csv",
            caption="../report/tasks_table.rst",
            category="Task 1: images",
        ),
        markdown="results/report/tables/tasks.md",
        latex="results/report/tables/tasks.tex",
    log:
        "logs/report/image_tasks_table.log",
    benchmark:
        "benchmarks/report/image_tasks_table.tsv"
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/image_tasks_table.py"


rule image_task_figures:
    input:
        predictions=image_runs("img2text", "predictions.csv")[-1],
        samples=image_runs("text2img", "samples.npz"),
        text2img=image_runs("text2img", "metrics.json"),
        pools="results/images/symbols.npz",
    output:
        examples=report(
            "results/report/figures/img2text_examples.png",
            caption="../report/img2text_examples.rst",
            category="Task 1: images",
        ),
        samples=report(
            "results/report/figures/text2img_samples.png",
            caption="../report/text2img_samples.rst",
            category="Task 1: images",
        ),
        readability=report(
            "results/report/figures/text2img_readability.png",
            caption="../report/text2img_readability.rst",
            category="Task 1: images",
        ),
        pdfs=figure_pdfs(
            "img2text_examples", "text2img_samples", "text2img_readability"
        ),
    log:
        "logs/report/image_task_figures.log",
    benchmark:
        "benchmarks/report/image_task_figures.tsv"
    conda:
        "../envs/arithgen.yaml"
    params:
        queries=config["queries"],
        seed=config["seed"],
    script:
        "../scripts/image_task_figures.py"
