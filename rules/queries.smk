# Query generation: one seeded split of the query space per train fraction, stored as indices.


rule split_queries:
    output:
        "results/queries/split_{fraction}.npz",
    log:
        "logs/queries/split_{fraction}.log",
    conda:
        "../envs/arithgen.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        train_fraction=lambda wc: float(wc.fraction),
        queries=config["queries"],
        seed=config["seed"],
    script:
        "../scripts/split_queries.py"
