# Datasets: download (mirrors, checksums of the decompressed content) and preprocessing.


rule download_dataset_file:
    output:
        "resources/{dataset}/{filename}",
    log:
        "logs/download/{dataset}/{filename}.log",
    conda:
        "../envs/arithgen.yaml"
    resources:
        runtime=30,
    params:
        files=lambda wc: {
            role: f
            for role, f in config["datasets"][wc.dataset]["files"].items()
            if f["name"].removesuffix(".gz") == wc.filename
        },
        mirrors=lambda wc: config["datasets"][wc.dataset]["mirrors"],
    script:
        "../scripts/download.py"


rule preprocess_dataset:
    input:
        dataset_raw_files,
    output:
        images="results/datasets/{dataset}/images.npz",
        provenance="results/datasets/{dataset}/provenance.json",
    log:
        "logs/datasets/{dataset}.log",
    benchmark:
        "benchmarks/datasets/{dataset}.tsv"
    conda:
        "../envs/arithgen.yaml"
    resources:
        mem_mb=4000,
        runtime=10,
    params:
        spec=dataset_spec,
        raw_dir="resources/{dataset}",
        seed=config["seed"],
    script:
        "../scripts/preprocess_dataset.py"
