# Datasets: download (mirrors, checksums of the decompressed content) and preprocessing.


rule download_dataset_file:
    output:
        "resources/{dataset}/{filename}",
    log:
        "logs/download/{dataset}/{filename}.log",
    params:
        files=lambda wc: {
            role: f
            for role, f in config["datasets"][wc.dataset]["files"].items()
            if f["name"].removesuffix(".gz") == wc.filename
        },
        mirrors=lambda wc: config["datasets"][wc.dataset]["mirrors"],
    resources:
        runtime=30,
    conda:
        "../envs/arithgen.yaml"
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
    params:
        spec=dataset_spec,
        raw_dir="resources/{dataset}",
        seed=config["seed"],
    resources:
        mem_mb=4000,
        runtime=10,
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/preprocess_dataset.py"
