#!/usr/bin/env bash
# Installs the Debian packages SoapDesk needs, only those that are missing.
# Idempotent: when everything is present it checks and returns in well under a second.
set -euo pipefail

PKGS=(
  # Python 3.11 with venv and headers; a compiler and cmake for llama-cpp-python
  python3 python3-venv python3-dev build-essential cmake git
  # audio: PortAudio for recording, espeak-ng + sox to make the sample and test speech
  libportaudio2 espeak-ng sox libsox-fmt-all
  # strace: the offline test watches every connect() the process makes, native code included
  strace
  # Qt offscreen/xcb runtime libraries, and Xvfb for screenshots of the real window
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 xvfb xauth
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# pyenv or a custom Python can stand in for Debian's python3 packages
if command -v python3.11 >/dev/null 2>&1 || python3 -c 'import sys, venv; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do case "$p" in python3|python3-venv|python3-dev) ;; *) filtered+=("$p");; esac; done
  missing=("${filtered[@]}")
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null && SUDO="sudo" || { echo "Please install as root: apt-get install ${missing[*]}" >&2; exit 1; }
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
