#!/usr/bin/env python3
"""Hugging Face transformers as the reference on the GPU machine (run by gpu-check.sh).

1. Small random Llama, Llama 3 (rope scaling, tied embeddings) and Qwen2 (QKV bias) models, made with
   LlamaConfig / Qwen2Config and written with save_pretrained (float32 safetensors), each with the
   logits of a fixed prompt at every position and 16 greedy tokens after it. The engine's test
   HfTransformersGpuTest loads the same folders and compares (-Dcascade.hf.dir=DIR).
2. The card's memory bandwidth: a device-to-device copy timed with CUDA events.
3. Decode tokens/s of transformers itself on a random model of the benchmark's shape (Llama 3.2 1B,
   BF16) at the benchmark's batch sizes and context, one token per sequence per step, KV cache on,
   timed with CUDA events after a warm-up.

4. With --tokenizers DIR (../shared/tokenizers, unpacked there): the ids transformers' tokenizer gives
   a set of texts, per tokenizer folder, for HfTokenizerIdsGpuTest to compare with ours.

Usage: hf_reference.py OUT_DIR [--batches 1,8,32,128] [--context 128] [--steps 32] [--skip-bench]
                       [--tokenizers DIR]
Writes OUT_DIR/{llama,llama3,qwen2}/, OUT_DIR/hf-bench.json and OUT_DIR/tokenizer-ids/; prints one
line per figure.
"""
import argparse
import json
import os
import struct
import sys
import time

import torch

PROMPT_LENGTH = 24
GREEDY_TOKENS = 16


def tiny_models():
    from transformers import LlamaConfig, Qwen2Config
    common = dict(hidden_size=64, intermediate_size=160, num_hidden_layers=2, num_attention_heads=4,
                  num_key_value_heads=2, vocab_size=256, max_position_embeddings=256, rms_norm_eps=1e-5,
                  bos_token_id=1, eos_token_id=2)
    return {
        "llama": LlamaConfig(rope_theta=10000.0, tie_word_embeddings=False, **common),
        "llama3": LlamaConfig(rope_theta=500000.0, tie_word_embeddings=True,
                              rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                            "high_freq_factor": 4.0, "original_max_position_embeddings": 32},
                              **common),
        "qwen2": Qwen2Config(rope_theta=1000000.0, tie_word_embeddings=True, **common),
    }


def write_reference(out_dir, device):
    from transformers import AutoModelForCausalLM
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    for name, config in tiny_models().items():
        torch.manual_seed(1234)
        model = AutoModelForCausalLM.from_config(config, torch_dtype=torch.float32)
        # the default init gives logits near zero; wider weights make the comparison mean something
        with torch.no_grad():
            for n, p in model.named_parameters():
                if n.endswith("bias"):
                    p.normal_(0.0, 0.1)
                elif n.endswith("norm.weight"):
                    p.uniform_(0.8, 1.2)
                elif p.dim() > 1:
                    p.normal_(0.0, 0.08)
        folder = os.path.join(out_dir, name)
        model.save_pretrained(folder, safe_serialization=True)
        model = model.to(device).eval()
        g = torch.Generator().manual_seed(99)
        prompt = torch.randint(3, config.vocab_size, (PROMPT_LENGTH,), generator=g)
        with torch.no_grad():
            ids = prompt[None, :].to(device)
            logits = model(input_ids=ids).logits[0].float().cpu()
            out = model(input_ids=ids, use_cache=True)
            past = out.past_key_values
            greedy = []
            nxt = out.logits[0, -1].argmax()
            for _ in range(GREEDY_TOKENS):
                greedy.append(int(nxt))
                out = model(input_ids=nxt.view(1, 1), past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[0, -1].argmax()
        with open(os.path.join(folder, "reference-logits.f32"), "wb") as f:
            f.write(struct.pack("<%df" % logits.numel(), *logits.flatten().tolist()))
        with open(os.path.join(folder, "reference.json"), "w") as f:
            json.dump({"prompt": prompt.tolist(), "positions": logits.shape[0], "vocab": logits.shape[1],
                       "greedy": greedy, "transformers": __import__("transformers").__version__,
                       "torch": torch.__version__}, f)
        print("reference %s: %d positions x %d logits, greedy %s" % (name, logits.shape[0], logits.shape[1], greedy))


TEXTS = [
    "Hello world",
    "Once upon a time, there was a little girl named Lily.",
    "  leading spaces, trailing spaces   ",
    "line one\nline two\n\n  indented\ttab",
    "Numbers: 3.14159, 1,000,000 and 12345678901234567890",
    "Accents: café, naïve, Ångström, façade",
    "日本語のテキストと中文文本",
    "Emoji: 🙂🚀👩‍👩‍👧 and symbols ∑∫√≠",
    "def f(x):\n    return x ** 2  # square",
    "<s> [INST] special-looking text [/INST] </s> <|im_start|>user<|im_end|>",
    "don't you're I'll we've they'd",
    "",
]


def tokenizer_ids(tokenizers_dir, out_dir):
    from transformers import AutoTokenizer, PreTrainedTokenizerFast
    target = os.path.join(out_dir, "tokenizer-ids")
    os.makedirs(target, exist_ok=True)
    for name in sorted(os.listdir(tokenizers_dir)):
        folder = os.path.join(tokenizers_dir, name)
        if not os.path.exists(os.path.join(folder, "tokenizer.json")):
            continue
        try:
            tok = AutoTokenizer.from_pretrained(folder)
            loader = "AutoTokenizer"
        except Exception as e:  # folders without a model config: the tokenizer file alone
            tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(folder, "tokenizer.json"))
            loader = "PreTrainedTokenizerFast (%s)" % type(e).__name__
        ids = [tok.encode(t, add_special_tokens=True) for t in TEXTS]
        plain = [tok.encode(t, add_special_tokens=False) for t in TEXTS]
        with open(os.path.join(target, name + ".json"), "w") as f:
            json.dump({"tokenizer": name, "loader": loader, "texts": TEXTS, "ids": ids, "ids_without_special": plain}, f)
        print("tokenizer %s (%s): %d texts, %d ids" % (name, loader, len(TEXTS), sum(len(i) for i in ids)))


def copy_bandwidth(device):
    n = 1 << 30  # 1 GiB each way
    src = torch.empty(n, dtype=torch.uint8, device=device)
    dst = torch.empty_like(src)
    for _ in range(3):
        dst.copy_(src)
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    reps = 20
    start.record()
    for _ in range(reps):
        dst.copy_(src)
    end.record()
    torch.cuda.synchronize()
    seconds = start.elapsed_time(end) / 1000 / reps
    gbs = 2 * n / seconds / 1e9  # read and write
    del src, dst
    torch.cuda.empty_cache()
    print("device-to-device copy: %.0f GB/s (read + write)" % gbs)
    return gbs


def llama_1b_config():
    from transformers import LlamaConfig
    return LlamaConfig(hidden_size=2048, intermediate_size=8192, num_hidden_layers=16, num_attention_heads=32,
                       num_key_value_heads=8, vocab_size=128256, max_position_embeddings=131072, rms_norm_eps=1e-5,
                       rope_theta=500000.0, tie_word_embeddings=True,
                       rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0,
                                     "high_freq_factor": 4.0, "original_max_position_embeddings": 8192})


def decode_bench(device, batches, context, steps, results, save):
    from transformers import AutoModelForCausalLM
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(llama_1b_config(), torch_dtype=torch.bfloat16).eval()
    for batch in batches:
        ids = torch.randint(0, 128256, (batch, context), device=device)
        with torch.no_grad():
            out = model(input_ids=ids, use_cache=True)
            past = out.past_key_values
            nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            for _ in range(3):  # warm-up steps
                out = model(input_ids=nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            for _ in range(steps):
                out = model(input_ids=nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            torch.cuda.synchronize()
            seconds = (time.perf_counter() - t0) / steps
        del past, out
        torch.cuda.empty_cache()
        r = {"batch": batch, "ms_per_step": seconds * 1e3, "tokens_per_s": batch / seconds}
        results.append(r)
        save()  # a run cut short by its time limit keeps the batches done
        print("transformers decode, random llama-1b BF16, batch %d, context %d: %.2f ms/step, %.0f tokens/s"
              % (batch, context, r["ms_per_step"], r["tokens_per_s"]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--batches", default="1,8,32,128")
    ap.add_argument("--context", type=int, default=128)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--skip-bench", action="store_true")
    ap.add_argument("--tokenizers")
    a = ap.parse_args()
    if not torch.cuda.is_available():
        print("no CUDA device for torch", file=sys.stderr)
        return 2
    device = torch.device("cuda")
    os.makedirs(a.out, exist_ok=True)
    summary = {"gpu": torch.cuda.get_device_name(0), "torch": torch.__version__}

    def save():
        with open(os.path.join(a.out, "hf-bench.json"), "w") as f:
            json.dump(summary, f, indent=1)

    write_reference(a.out, device)
    if a.tokenizers:
        tokenizer_ids(a.tokenizers, a.out)
    if not a.skip_bench:
        summary["copy_gb_per_s"] = copy_bandwidth(device)
        summary.update({"model": "random llama-1b (Llama 3.2 1B shape) BF16", "context": a.context, "decode": []})
        save()
        decode_bench(device, [int(b) for b in a.batches.split(",")], a.context, a.steps, summary["decode"], save)
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())
