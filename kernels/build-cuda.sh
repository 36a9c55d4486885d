#!/usr/bin/env bash
# Compiles the CUDA kernels (src/main/cuda/cascade_kernels.cu) into one fatbin resource, run by
# Maven in process-resources (kernels/pom.xml), or by hand:
#
#   kernels/build-cuda.sh SOURCE_DIR OUTPUT_DIR
#
# nvcc is looked for in $CUDA_HOME/bin, /usr/local/cuda/bin, then on PATH. Without it the build
# goes on without kernels and the CUDA backend reports itself unavailable, naming this reason; a
# compile error fails the build. The fatbin holds SASS for sm_80, sm_86, sm_89 and sm_90 and PTX
# for compute_90 (which newer GPUs compile at load). Beside it, cascade_kernels.properties records
# the toolkit's CUDA version: its binaries need a driver that supports that version, which the
# backend checks at start. To build for an older driver, point CUDA_HOME at an older toolkit.
#
# CASCADE_CUDA_ARCHS overrides the architectures (e.g. "90" for a quicker build for one H100).
set -euo pipefail

src=${1:?usage: build-cuda.sh SOURCE_DIR OUTPUT_DIR}
out=${2:?usage: build-cuda.sh SOURCE_DIR OUTPUT_DIR}
fatbin="$out/cascade_kernels.fatbin"
info="$out/cascade_kernels.properties"

nvcc=""
for candidate in "${CUDA_HOME:+$CUDA_HOME/bin/nvcc}" /usr/local/cuda/bin/nvcc "$(command -v nvcc 2>/dev/null || true)"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then
    nvcc=$candidate
    break
  fi
done

if [[ -z "$nvcc" ]]; then
  # A stale fatbin from an earlier build would be loaded as if it matched the sources: remove it.
  rm -f "$fatbin" "$info"
  echo "[cuda] nvcc not found (looked in \$CUDA_HOME/bin, /usr/local/cuda/bin and PATH): building without CUDA kernels;"
  echo "[cuda] the CUDA backend will report itself unavailable. Install the CUDA toolkit or set CUDA_HOME to build them."
  exit 0
fi

mkdir -p "$out"
# Up to date when the fatbin is newer than every source and this script.
if [[ -f "$fatbin" && -f "$info" ]]; then
  newer=$(find "$src" "$0" -newer "$fatbin" -type f | head -n 1)
  if [[ -z "$newer" ]]; then
    echo "[cuda] $fatbin is up to date"
    exit 0
  fi
fi

version=$("$nvcc" --version | sed -n 's/.*release \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
archs=${CASCADE_CUDA_ARCHS:-"80 86 89 90"}
gencode=()
last=""
for a in $archs; do
  gencode+=("-gencode" "arch=compute_$a,code=sm_$a")
  last=$a
done
# PTX of the newest architecture, for GPUs newer than every SASS above
gencode+=("-gencode" "arch=compute_$last,code=compute_$last")

echo "[cuda] $nvcc (CUDA $version): sm_${archs// /, sm_} + compute_$last PTX"
start=$(date +%s)
# --no-compress: kernel names stay readable in the fatbin (a test checks them); it is < 1 MB.
"$nvcc" -fatbin --no-compress -O3 -std=c++17 -Xptxas -v --threads 2 "${gencode[@]}" \
  -o "$fatbin.tmp" "$src/cascade_kernels.cu"
mv "$fatbin.tmp" "$fatbin"
cat > "$info" <<PROPS
# written by kernels/build-cuda.sh
cuda.version=$version
nvcc=$nvcc
sass=$(for a in $archs; do printf 'sm_%s ' "$a"; done | sed 's/ $//')
ptx=compute_$last
PROPS
echo "[cuda] wrote $fatbin ($(stat -c %s "$fatbin") bytes) in $(( $(date +%s) - start )) s"
