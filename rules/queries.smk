# Query generation: one split of the query space per (split kind, train fraction, run seed), stored as
# indices. The random kind lives in results/queries/, each held-out kind in results/queries/heldout/{kind}/.
# The config's seed fixes the test queries; the run seed picks the labelled ones.


rule split_queries:
    output:
        "results/{split_dir}/split_{fraction}_seed{seed}.npz",
    log:
        "logs/{split_dir}/split_{fraction}_seed{seed}.log",
    conda:
        "../envs/arithgen.yaml"
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        train_fraction=lambda wc: float(wc.fraction),
        queries=split_query_settings,
        test_seed=config["seed"],
        run_seed=run_seed,
    script:
        "../scripts/split_queries.py"
