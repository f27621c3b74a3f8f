# Task 1 with images: symbol-image pools, the digit reader (one), img2text and text2img per train fraction
# and run seed.


rule symbol_images:
    input:
        digits=f"results/datasets/{config['digits_dataset']}/images.npz",
    output:
        "results/images/symbols.npz",
    log:
        "logs/images/symbols.log",
    conda:
        "../envs/arithgen.yaml"
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        glyphs_per_symbol=IMAGES["glyphs_per_symbol"],
        validation_fraction=IMAGES["validation_fraction"],
        seed=config["seed"],
    script:
        "../scripts/symbol_images.py"


rule train_digit_reader:
    input:
        pools="results/images/symbols.npz",
    output:
        model="results/images/digit_reader/model.keras",
        metrics="results/images/digit_reader/metrics.json",
    log:
        "logs/images/digit_reader.log",
    benchmark:
        "benchmarks/images/digit_reader.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=20,
    params:
        reader=IMAGES["reader"],
        max_shift=IMAGES["max_shift"],
        seed=config["seed"],
        checkpoint_dir="results/checkpoints/images/digit_reader",
    script:
        "../scripts/train_digit_reader.py"


rule img2text_reader_estimate:
    input:
        reader="results/images/digit_reader/model.keras",
        model="results/img2text/{fraction}/seed{seed}/model.keras",
        split="results/queries/split_{fraction}_seed{seed}.npz",
        pools="results/images/symbols.npz",
    output:
        "results/img2text/{fraction}/seed{seed}/reader_estimate.json",
    log:
        "logs/img2text/{fraction}/seed{seed}_reader_estimate.log",
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        queries=config["queries"],
        eval_size=IMAGES["eval_size"],
        seed=run_seed,  # img2text's run seed: the test images it is scored on
    script:
        "../scripts/img2text_reader_estimate.py"


rule train_img2text:
    input:
        split="results/queries/split_{fraction}_seed{seed}.npz",
        pools="results/images/symbols.npz",
    output:
        model="results/img2text/{fraction}/seed{seed}/model.keras",
        history="results/img2text/{fraction}/seed{seed}/history.csv",
        metrics="results/img2text/{fraction}/seed{seed}/metrics.json",
        predictions="results/img2text/{fraction}/seed{seed}/predictions.csv",
    log:
        "logs/img2text/{fraction}/seed{seed}.log",
    benchmark:
        "benchmarks/img2text/{fraction}/seed{seed}.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=90,
    params:
        architecture=image_task_architecture("img2text"),
        image_net=IMAGES["img2text"]["image_net"],
        recipe=image_task_recipe("img2text"),
        max_shift=IMAGES["max_shift"],
        queries=config["queries"],
        eval_size=IMAGES["eval_size"],
        seed=run_seed,
        prediction_samples=IMAGES["prediction_samples"],
        checkpoint_dir="results/checkpoints/img2text/{fraction}/seed{seed}",
    script:
        "../scripts/train_img2text.py"


rule train_text2img:
    input:
        split="results/queries/split_{fraction}_seed{seed}.npz",
        pools="results/images/symbols.npz",
    output:
        model="results/text2img/{fraction}/seed{seed}/model.keras",
        history="results/text2img/{fraction}/seed{seed}/history.csv",
    log:
        "logs/text2img/{fraction}/seed{seed}.log",
    benchmark:
        "benchmarks/text2img/{fraction}/seed{seed}.tsv"
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=90,
    params:
        architecture=image_task_architecture("text2img"),
        image_net=IMAGES["text2img"]["image_net"],
        recipe=image_task_recipe("text2img"),
        symbol_loss_weight=IMAGES["text2img"].get("symbol_loss_weight", 0.0),
        queries=config["queries"],
        seed=run_seed,
        checkpoint_dir="results/checkpoints/text2img/{fraction}/seed{seed}",
    script:
        "../scripts/train_text2img.py"


rule evaluate_text2img:
    input:
        model="results/text2img/{fraction}/seed{seed}/model.keras",
        history="results/text2img/{fraction}/seed{seed}/history.csv",
        reader="results/images/digit_reader/model.keras",
        split="results/queries/split_{fraction}_seed{seed}.npz",
        pools="results/images/symbols.npz",
    output:
        metrics="results/text2img/{fraction}/seed{seed}/metrics.json",
        samples="results/text2img/{fraction}/seed{seed}/samples.npz",
    log:
        "logs/text2img/{fraction}/seed{seed}_evaluate.log",
    conda:
        "../envs/arithgen.yaml"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=20,
    params:
        queries=config["queries"],
        eval_size=IMAGES["eval_size"],
        seed=run_seed,
        recipe=image_task_recipe("text2img"),
    script:
        "../scripts/evaluate_text2img.py"
