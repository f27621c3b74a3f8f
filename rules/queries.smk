# Query generation: one split of the query space per (train fraction, run seed), stored as indices.
# The config's seed fixes the test queries; the run seed picks the labelled ones.


rule split_queries:
    output:
        "results/queries/split_{fraction}_seed{seed}.npz",
    log:
        "logs/queries/split_{fraction}_seed{seed}.log",
    conda:
        "../envs/arithgen.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        train_fraction=lambda wc: float(wc.fraction),
        queries=config["queries"],
        test_seed=config["seed"],
        run_seed=run_seed,
    script:
        "../scripts/split_queries.py"
