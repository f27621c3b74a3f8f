# Query generation: one seeded split of the query space per train fraction, stored as indices.


rule split_queries:
    output:
        "results/queries/split_{fraction}.npz",
    log:
        "logs/queries/split_{fraction}.log",
    params:
        train_fraction=lambda wc: float(wc.fraction),
        queries=config["queries"],
        seed=config["seed"],
    resources:
        mem_mb=1000,
        runtime=5,
    conda:
        "../envs/arithgen.yaml"
    script:
        "../scripts/split_queries.py"
