# Task 2, generative models: the chosen dataset at the configured size -> feature network (FID,
# precision/recall, density/coverage, confident rate) -> CAE, VAE and GAN (one job each, trained for
# a number of optimizer steps, resumable from results/checkpoints/) -> evaluation (those metrics,
# reconstruction, ELBO, memorisation, latent walks) -> table and figures for the report.


rule download_dataset_archive:
    output:
        "resources/{dataset}.archive",
    log:
        "logs/download/{dataset}.archive.log",
    conda:
        "../envs/arithgen.yaml"
    resources:
        runtime=30,
    params:
        url=lambda wc: config["datasets"][wc.dataset]["url"],
        sha256=lambda wc: config["datasets"][wc.dataset]["sha256"],
    script:
        "../scripts/download_archive.py"


rule prepare_generative_data:
    input:
        images=f"results/datasets/{GENERATIVE['dataset']}/images.npz",
        provenance=f"results/datasets/{GENERATIVE['dataset']}/provenance.json",
    output:
        data="results/generative/data.npz",
        info="results/generative/data.json",
    log:
        "logs/generative/prepare.log",
    benchmark:
        "benchmarks/generative/prepare.tsv"
    conda:
        "../envs/arithgen.yaml"
    resources:
        mem_mb=3000,
        runtime=10,
    params:
        dataset=GENERATIVE["dataset"],
        settings=generative_data_settings(),
        seed=config["seed"],
    script:
        "../scripts/prepare_generative_data.py"


rule train_fid_classifier:
    input:
        data="results/generative/data.npz",
        info="results/generative/data.json",
    output:
        classifier="results/generative/fid/classifier.keras",
        reference="results/generative/fid/reference.npz",
        metrics="results/generative/fid/metrics.json",
    log:
        "logs/generative/fid_classifier.log",
    benchmark:
        "benchmarks/generative/fid_classifier.tsv"
    priority: FEATURE_NETWORK_PRIORITY
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=30,
    params:
        fid=GENERATIVE["fid"],
        seed=config["seed"],
        checkpoint_dir="results/checkpoints/generative/fid",
    script:
        "../scripts/train_fid_classifier.py"


rule train_generative:
    input:
        data="results/generative/data.npz",
        info="results/generative/data.json",
    output:
        weights="results/generative/{generative_model}/model.weights.h5",
        history="results/generative/{generative_model}/history.csv",
        progress=directory("results/generative/{generative_model}/progress"),
    log:
        "logs/generative/{generative_model}.log",
    benchmark:
        "benchmarks/generative/{generative_model}.tsv"
    priority: generative_training_priority
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=120,
    params:
        model_settings=generative_model_settings,
        sample_every=GENERATIVE["sample_every"],
        seed=config["seed"],
        checkpoint_dir="results/checkpoints/generative/{generative_model}",
    script:
        "../scripts/train_generative.py"


rule evaluate_generative:
    input:
        data="results/generative/data.npz",
        info="results/generative/data.json",
        weights="results/generative/{generative_model}/model.weights.h5",
        classifier="results/generative/fid/classifier.keras",
        reference="results/generative/fid/reference.npz",
        feature_metrics="results/generative/fid/metrics.json",
    output:
        metrics="results/generative/{generative_model}/metrics.json",
        examples="results/generative/{generative_model}/examples.npz",
        interpolation=report(
            "results/generative/{generative_model}/interpolation.gif",
            caption="../report/generative_interpolation_gif.rst",
            category="Task 2: generative models",
        ),
    log:
        "logs/generative/{generative_model}_evaluate.log",
    benchmark:
        "benchmarks/generative/{generative_model}_evaluate.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=4000,
        runtime=30,
    params:
        model_settings=generative_model_settings,
        interpolation_steps=GENERATIVE["interpolation_steps"],
        seed=config["seed"],
    script:
        "../scripts/evaluate_generative.py"


rule generative_table:
    input:
        metrics=generative_runs("metrics.json"),
        histories=generative_runs("history.csv"),
        reference="results/generative/fid/metrics.json",
    output:
        csv=report(
            "results/report/tables/generative.csv",
            caption="../report/generative_table.rst",
            category="Task 2: generative models",
        ),
        markdown="results/report/tables/generative.md",
        latex="results/report/tables/generative.tex",
    log:
        "logs/report/generative_table.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/generative_table.py"


rule generative_figures:
    input:
        examples=generative_runs("examples.npz"),
        metrics=generative_runs("metrics.json"),
        histories=generative_runs("history.csv"),
        progress=generative_runs("progress"),
        reference="results/generative/fid/reference.npz",
        data="results/generative/data.npz",
        info="results/generative/data.json",
    output:
        samples=report(
            "results/report/figures/generative_samples.png",
            caption="../report/generative_samples.rst",
            category="Task 2: generative models",
        ),
        interpolations=report(
            "results/report/figures/generative_interpolations.png",
            caption="../report/generative_interpolations.rst",
            category="Task 2: generative models",
        ),
        training=report(
            "results/report/figures/generative_training.png",
            caption="../report/generative_training.rst",
            category="Task 2: generative models",
        ),
        memorisation=report(
            "results/report/figures/generative_memorisation.png",
            caption="../report/generative_memorisation.rst",
            category="Task 2: generative models",
        ),
        progress=report(
            "results/report/figures/generative_progress.png",
            caption="../report/generative_progress.rst",
            category="Task 2: generative models",
        ),
        pdfs=figure_pdfs(
            "generative_samples",
            "generative_interpolations",
            "generative_training",
            "generative_memorisation",
            "generative_progress",
        ),
    log:
        "logs/report/generative_figures.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/generative_figures.py"


rule generative_reconstruction_figure:
    input:
        examples=generative_runs("examples.npz", models=GENERATIVE_AUTOENCODERS),
        info="results/generative/data.json",
    output:
        reconstructions=report(
            "results/report/figures/generative_reconstructions.png",
            caption="../report/generative_reconstructions.rst",
            category="Task 2: generative models",
        ),
        pdf=figure_pdfs("generative_reconstructions"),
    log:
        "logs/report/generative_reconstruction_figure.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/generative_reconstruction_figure.py"


rule generative_latent_figures:
    input:
        examples="results/generative/vae/examples.npz",
        info="results/generative/data.json",
    output:
        latent_map=report(
            "results/report/figures/generative_latent_map.png",
            caption="../report/generative_latent_map.rst",
            category="Task 2: generative models",
        ),
        latent_attributes=report(
            "results/report/figures/generative_latent_attributes.png",
            caption="../report/generative_latent_attributes.rst",
            category="Task 2: generative models",
        ),
        pdfs=figure_pdfs("generative_latent_map", "generative_latent_attributes"),
    log:
        "logs/report/generative_latent_figures.log",
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/generative_latent_figures.py"
