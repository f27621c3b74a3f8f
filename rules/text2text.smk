# text2text: one encoder-decoder per (split kind, model variant, train fraction, run seed), and the
# whole-space evaluation of one config-chosen run. Random-split runs live in results/text2text/, each
# held-out kind's in results/heldout/{kind}/ ({run_dir}); one rule trains both.


rule train_text2text:
    input:
        split=run_split,
    output:
        model="results/{run_dir}/{variant}/{fraction}/seed{seed}/model.keras",
        history="results/{run_dir}/{variant}/{fraction}/seed{seed}/history.csv",
        metrics="results/{run_dir}/{variant}/{fraction}/seed{seed}/metrics.json",
        predictions="results/{run_dir}/{variant}/{fraction}/seed{seed}/predictions.csv",
    log:
        "logs/{run_dir}/{variant}/{fraction}/seed{seed}.log",
    benchmark:
        "benchmarks/{run_dir}/{variant}/{fraction}/seed{seed}.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    params:
        architecture=text2text_architecture,
        recipe=text2text_recipe,
        queries=split_query_settings,
        seed=run_seed,
        prediction_samples=TEXT2TEXT["prediction_samples"],
        checkpoint_dir="results/checkpoints/{run_dir}/{variant}/{fraction}/seed{seed}",
    script:
        "../scripts/train_text2text.py"


rule text2text_whole_space:
    input:
        model="results/text2text/{variant}/{fraction}/seed{seed}/model.keras",
        metrics="results/text2text/{variant}/{fraction}/seed{seed}/metrics.json",
        split="results/queries/split_{fraction}_seed{seed}.npz",
    output:
        "results/text2text/{variant}/{fraction}/seed{seed}/whole_space.json",
    log:
        "logs/text2text/{variant}/{fraction}/seed{seed}_whole_space.log",
    benchmark:
        "benchmarks/text2text/{variant}/{fraction}/seed{seed}/whole_space.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=30,
    params:
        queries=config["queries"],
        batch_size=65536,
    script:
        "../scripts/text2text_whole_space.py"
