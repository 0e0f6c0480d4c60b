#!/usr/bin/env bash
# Installs every Debian package PoisonLab's build, tests and demo need. Idempotent: packages that
# are already installed are skipped, and nothing is done when all are present.
#   --no-gui   only what core, plugins, the CLI and the tests need (no Qt Widgets/Charts, no Xvfb)
set -euo pipefail

gui=1
for arg in "$@"; do
  case "$arg" in
    --no-gui) gui=0 ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) echo "bootstrap.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

pkgs=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-pthread
  libgloo-dev                        # c10d ProcessGroupGloo headers: data-parallel training (docs/distributed.md)
  libopencv-dev libfreetype-dev zlib1g-dev libspdlog-dev nlohmann-json3-dev libcli11-dev
  qt6-base-dev                       # QtCore + QtTest (the tests), QtGui/Widgets for the workbench
  fonts-noto-color-emoji             # the demo datasets are drawn from it
  python3-torch python3-numpy        # benchmark peers and independent metric checks
  python3-sklearn                    # the t-SNE benchmark's peer (bench/run_tsne_bench.sh)
)
if [ "$gui" = 1 ]; then
  pkgs+=(qt6-charts-dev libqt6opengl6-dev qt6-svg-dev libqt6svg6 qt6-qpa-plugins xvfb xauth dpkg-dev file)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
