# text2text: one encoder-decoder per (model variant, train fraction).


rule train_text2text:
    input:
        split="results/queries/split_{fraction}.npz",
    output:
        model="results/text2text/{variant}/{fraction}/model.keras",
        history="results/text2text/{variant}/{fraction}/history.csv",
        metrics="results/text2text/{variant}/{fraction}/metrics.json",
        predictions="results/text2text/{variant}/{fraction}/predictions.csv",
    log:
        "logs/text2text/{variant}/{fraction}.log",
    benchmark:
        "benchmarks/text2text/{variant}/{fraction}.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    params:
        architecture=text2text_architecture,
        recipe=text2text_recipe,
        queries=config["queries"],
        seed=config["seed"],
        prediction_samples=TEXT2TEXT["prediction_samples"],
        checkpoint_dir="results/checkpoints/text2text/{variant}/{fraction}",
    script:
        "../scripts/train_text2text.py"
