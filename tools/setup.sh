#!/usr/bin/env bash
# Create or reuse the virtual environment at .venv with the tested versions, and arithgen itself.
# Usage: bash tools/setup.sh   (idempotent; safe to run before every command)
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "setup: $python is missing or older than 3.11; install Python 3.11+ (Debian: apt-get install python3 python3-venv)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv || { echo "setup: could not create .venv (Debian: apt-get install python3-venv)" >&2; exit 1; }
fi
stamp=.venv/.arithgen-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ envs/requirements.txt -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -c envs/requirements.txt -e ".[test]"
    touch "$stamp"
fi

# The study's PDF: WeasyPrint needs Pango (and HarfBuzz's subsetter to embed fonts small).
if ! ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    pdf_packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    (apt-get install -y -q $pdf_packages >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $pdf_packages >/dev/null 2>&1; }) ||
        echo "setup: could not install $pdf_packages; the report's PDF needs them (WeasyPrint)" >&2
fi

# Fashion-MNIST offline: Debian's package is the first mirror of the fashion_mnist dataset.
if [ ! -d /usr/share/datasets/fashion-mnist ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1; }) ||
        echo "setup: dataset-fashion-mnist not installed; the fashion_mnist dataset will use its download mirrors" >&2
fi
echo "setup: .venv ready ($(.venv/bin/python -c 'import tensorflow as tf, keras, snakemake; print(f"tensorflow {tf.__version__}, keras {keras.__version__}, snakemake {snakemake.__version__}")' 2>/dev/null))"
