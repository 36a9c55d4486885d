#!/usr/bin/env bash
# Runs on the GPU machine, from a copy of the checkout, after tools/device/pack.sh ran here:
#
#   tar -xJf .device/jre.tar.xz -C /tmp && export JAVA_HOME=/tmp/jre PATH=/tmp/jre/bin:$PATH; tools/device/gpu-check.sh
#
# Prints nvidia-smi, the Java and the cuBLAS it found, runs the gpu-tagged tests (kernels and
# engine) with JUnit's console launcher, then a short JMH decode benchmark on the CUDA backend,
# and ends with a small table. Logs, JUnit XML and JMH JSON go to $OUT (or /tmp/gpu-check).
#
# Settings (environment): MODELS, BATCHES, CONTEXT, GRAPHS (JMH parameters; GRAPHS=true,false by default), BENCH_CPU=1 (the CPU backend
# too, for comparison), SKIP_TESTS=1, SKIP_BENCH=1, TESTS (a JUnit --select-class or pattern,
# e.g. TESTS=dev.cascade.kernels.cuda.CudaOpsGpuTest), TEST_TIMEOUT and BENCH_TIMEOUT (seconds),
# CASCADE_CUBLAS_PATH (skip the search), EXTRA_JAVA (more JVM flags, e.g. -Dcascade.cuda.sync=true),
# SKIP_HF=1 (no Hugging Face reference), PYTHON (the Python with torch and transformers), HF_TIMEOUT.
# The default limits (HF 120 s, tests 210 s, benchmark 210 s) keep one run inside a 600 s device call.
#
# Before the tests, tools/device/hf_reference.py writes random Llama/Llama 3/Qwen2 folders with
# transformers' logits and greedy tokens (HfTransformersGpuTest compares against them), times a
# device-to-device copy, and times transformers' own decode on the benchmark's shape; the summary
# puts those next to the JMH figures.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=${OUT:-/tmp/gpu-check}
mkdir -p "$out"
MODELS=${MODELS:-random:llama-1b:BF16}
BATCHES=${BATCHES:-1,8,32,128}
CONTEXT=${CONTEXT:-128}
GRAPHS=${GRAPHS:-true,false}
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:CompileCommand=quiet
  -XX:CompileCommand=inline,dev.cascade.kernels.cpu.VectorMath::exp -Xss4m ${EXTRA_JAVA:-})
lib=$(ls "$root"/.device/lib/*.jar | tr '\n' ':')

echo "== GPU"
nvidia-smi 2>&1 | tee "$out/nvidia-smi.txt" || echo "nvidia-smi failed"
echo "== Java"
java -version 2>&1
echo "== cuBLAS"
if [[ -z "${CASCADE_CUBLAS_PATH:-}" ]]; then
  # likely places first: a search of the whole disk can take minutes
  found=$(find /usr/local /opt /usr/lib /usr/lib64 /root -name 'libcublas.so.1[23]*' 2>/dev/null | sort)
  if [[ -z "$found" ]]; then
    found=$(timeout 120 find / -name 'libcublas.so.1[23]*' -not -path '/proc/*' 2>/dev/null | sort)
  fi
  echo "$found"
  for major in 13 12; do
    for f in $(echo "$found" | grep "libcublas.so.$major"); do
      if ls "$(dirname "$f")"/libcublasLt.so.$major* > /dev/null 2>&1; then
        export CASCADE_CUBLAS_PATH=$(dirname "$f")
        break 2
      fi
    done
  done
fi
echo "CASCADE_CUBLAS_PATH=${CASCADE_CUBLAS_PATH:-(none found)}"

hf_status="skipped"
hf_flag=()
if [[ "${SKIP_HF:-0}" != 1 ]]; then
  echo "== Hugging Face transformers reference"
  py=${PYTHON:-}
  if [[ -z "$py" ]]; then
    for candidate in python3 python /opt/conda/bin/python /usr/local/bin/python3; do
      if command -v "$candidate" > /dev/null 2>&1 && "$candidate" -c "import torch, transformers" > /dev/null 2>&1; then
        py=$candidate
        break
      fi
    done
  fi
  if [[ -z "$py" ]]; then
    hf_status="no Python with torch and transformers found"
  else
    tok_args=()
    if [[ -f "$root/.device/shared/tokenizers.tar.xz" ]]; then
      mkdir -p /tmp/hf-tokenizers && tar -xJf "$root/.device/shared/tokenizers.tar.xz" -C /tmp/hf-tokenizers
      tok_args=(--tokenizers /tmp/hf-tokenizers/tokenizers)
    fi
    timeout "${HF_TIMEOUT:-120}" "$py" "$root/tools/device/hf_reference.py" "$out/hf" --batches "$BATCHES" \
      --context "$CONTEXT" "${tok_args[@]}" 2>&1 | tee "$out/hf.log"
    rc=${PIPESTATUS[0]}
    hf_status="exit $rc$( [[ $rc == 124 ]] && echo ' (timed out)')"
    if [[ -d "$out/hf/llama" ]]; then
      hf_flag=(-Dcascade.hf.dir="$out/hf" -Dcascade.hf.tokenizers=/tmp/hf-tokenizers/tokenizers)
    fi
  fi
fi

tests_status="skipped"
if [[ "${SKIP_TESTS:-0}" != 1 ]]; then
  echo "== GPU tests"
  select=(--scan-class-path "$root/.device/test-classes/kernels:$root/.device/test-classes/engine" --include-tag gpu)
  if [[ -n "${TESTS:-}" ]]; then
    select=(--select-class "$TESTS")
  fi
  timeout "${TEST_TIMEOUT:-210}" java "${flags[@]}" "${hf_flag[@]}" -Dcascade.shared="$root/.device/shared" -Dcascade.home="$root" \
    -jar "$root/.device/junit-platform-console-standalone.jar" execute \
    --class-path "$lib$root/.device/test-classes/kernels:$root/.device/test-classes/engine" "${select[@]}" \
    --details tree --disable-banner --disable-ansi-colors --reports-dir "$out/junit" 2>&1 | tee "$out/tests.log"
  rc=${PIPESTATUS[0]}
  tests_status="exit $rc$( [[ $rc == 124 ]] && echo ' (timed out)')"
fi

bench_status="skipped"
if [[ "${SKIP_BENCH:-0}" != 1 ]]; then
  echo "== JMH DecodeBench"
  backends=cuda
  if [[ "${BENCH_CPU:-0}" == 1 ]]; then
    backends=cuda,cpu
  fi
  timeout "${BENCH_TIMEOUT:-210}" java "${flags[@]}" -cp "$lib" org.openjdk.jmh.Main DecodeBench \
    -p backend=$backends -p model="$MODELS" -p batch="$BATCHES" -p context="$CONTEXT" -p graphs="$GRAPHS" \
    -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true -rf json -rff "$out/decode-bench.json" 2>&1 | tee "$out/bench.log"
  rc=${PIPESTATUS[0]}
  bench_status="exit $rc$( [[ $rc == 124 ]] && echo ' (timed out)')"
fi

echo
echo "== Summary"
grep -m1 -E "NVIDIA-SMI|Driver Version" "$out/nvidia-smi.txt" 2>/dev/null || true
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || true
echo "cuBLAS: ${CASCADE_CUBLAS_PATH:-(none)}"
echo "transformers reference: $hf_status"
grep -E "^(reference|device-to-device|transformers decode|tokenizer )" "$out/hf.log" 2>/dev/null || true
echo "tests: $tests_status"
grep -E "tests (successful|failed|aborted|skipped)|containers failed" "$out/tests.log" 2>/dev/null || true
grep -E "^(GPU tests on|.*relative error|batch drift|stories260K.*tokens|decode graphs|transformers .* on |sample_rows|tokenizer ids)" "$out/tests.log" 2>/dev/null | head -60 || true
echo "benchmark: $bench_status"
sed -n '/^Benchmark  *(/,$p' "$out/bench.log" 2>/dev/null || true
if [[ -f "$out/decode-bench.json" ]] && command -v python3 > /dev/null 2>&1; then
  python3 "$root/tools/device/decode_table.py" "$out/decode-bench.json" "$out/hf/hf-bench.json" || true
fi
