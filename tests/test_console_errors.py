"""A job that fails on bad input says why on the console, not only "check log file(s)"."""

import pytest
import yaml

from conftest import ROOT, snakemake

pytestmark = pytest.mark.e2e


def test_missing_folder_dataset_names_the_folder_on_the_console(tmp_path):
    config = yaml.safe_load((ROOT / "tests" / "tiny_config.yaml").read_text())
    missing = tmp_path / "no_such_folder"
    config["datasets"]["own_images"] = {"source": "folder", "path": str(missing), "test_fraction": 0.2,
                                        "image_size": 28, "channels": 1}
    configfile = tmp_path / "config.yaml"
    configfile.write_text(yaml.safe_dump(config, sort_keys=False))

    result = snakemake(tmp_path / "run", "--cores", "1", "results/datasets/own_images/images.npz",
                       configfile=configfile, check=False)
    console = result.stdout + result.stderr
    assert result.returncode != 0
    reason = f"error: FileNotFoundError: image folder {missing} does not exist; expected a folder of jpg/png/webp"
    lines = [line for line in console.splitlines() if line.startswith(reason)]
    assert len(lines) == 1, console[-3000:]
    assert "(traceback in logs/datasets/own_images.log)" in lines[0]
    assert "Traceback" in (tmp_path / "run" / "logs/datasets/own_images.log").read_text()
