#!/usr/bin/env bash
# CMake flags for llama.cpp's CPU backend on this machine (or, with `name`, a
# short name for that set, which names the folder its wheel is kept in).
#
# Not GGML_NATIVE (-march=native): a CPU may report AMX that its VM does not let
# a process use, and the native build then dies at the first matrix multiply
# (seen on this project's build machine, 2026-12-06). So on x86-64: AVX2 as the
# base, the AVX-512 kinds the CPU reports, never AMX. Elsewhere, native.
set -euo pipefail
flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2) "
has() { for f in "$@"; do [[ "$flags" == *" $f "* ]] || return 1; done; }

if [[ "$(uname -m)" != x86_64 ]]; then
  args="" name="native-$(uname -m)"
else
  args="-DGGML_NATIVE=OFF" name="avx2"
  if ! has avx2 fma f16c; then
    args+=" -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_F16C=OFF -DGGML_BMI2=OFF" name="avx"
  elif has avx512f avx512cd avx512vl avx512dq avx512bw; then
    args+=" -DGGML_AVX512=ON" name="avx512"
    if has avx512vbmi; then args+=" -DGGML_AVX512_VBMI=ON" name+="-vbmi"; fi
    if has avx512_vnni; then args+=" -DGGML_AVX512_VNNI=ON" name+="-vnni"; fi
    if has avx512_bf16; then args+=" -DGGML_AVX512_BF16=ON" name+="-bf16"; fi
  fi
  if has avx_vnni && [[ "$name" != avx ]]; then args+=" -DGGML_AVX_VNNI=ON" name+="-avxvnni"; fi
fi
if [[ "${1:-}" == name ]]; then echo "$name"; else echo "$args"; fi
