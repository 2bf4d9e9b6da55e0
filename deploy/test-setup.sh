#!/usr/bin/env bash
# Everything the test suite needs beyond Maven: the datasets (deploy/fetch-datasets.sh) and the
# Debian packages behind the tests that check munet against an independent implementation
# (python/munet_vit.py runs under Debian's /usr/bin/python3 with python3-torch and numpy;
# libopenblas0-pthread keeps Debian's torch off the slow reference BLAS; the notebooks in notebooks/,
# which NotebooksIT executes, need pandas, matplotlib and Jupyter's nbconvert with a Python kernel;
# the report's charts (ReportTest) are drawn by Java with fontconfig's fonts).
# Idempotent: packages
# already installed are not fetched again. Needs root (or sudo) for apt-get the first time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

deploy/fetch-datasets.sh "${1:-data}"

PACKAGES=(python3-torch python3-numpy libopenblas0-pthread
  python3-pandas python3-matplotlib jupyter-nbconvert python3-nbclient python3-ipykernel
  fontconfig fonts-dejavu-core)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "test-setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
/usr/bin/python3 -c 'import torch, numpy; print("test-setup: torch", torch.__version__, "numpy", numpy.__version__)'
/usr/bin/python3 -c 'import pandas, matplotlib, nbconvert, nbclient, ipykernel
print("test-setup: pandas", pandas.__version__, "matplotlib", matplotlib.__version__, "nbconvert", nbconvert.__version__)'
