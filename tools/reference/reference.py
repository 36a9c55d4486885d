#!/usr/bin/env python3
"""Independent reference for Cascade's transformer: random-weight Llama-family models in Hugging
Face layout, and their logits computed here in float64 with numpy.

For each model in MODELS this writes, under OUT (default: engine/src/test/resources/reference):
  NAME/config.json         Hugging Face config (LlamaForCausalLM or Qwen2ForCausalLM)
  NAME/model.safetensors   the random weights, float32
  NAME/expected.json       the prompt ids and, for every prompt position, the logits row
                           (float32 little-endian in NAME/logits.f32, shape [positions][vocab])

The forward pass follows the Hugging Face modelling code's definitions (RMSNorm with the epsilon
inside the square root, rotate-half RoPE with optional Llama 3 frequency scaling, grouped-query
attention with a causal mask, SiLU-gated MLP, tied or separate LM head) and shares no code with
the Java engine. Run it with Debian's numpy:  python3 tools/reference/reference.py
"""
import json
import math
import os
import struct
import sys

import numpy as np

MODELS = [
    # name, architecture, dim, hidden, layers, heads, kv heads, vocab, tied, bias, theta, rope scaling
    dict(name="llama-gqa", arch="llama", dim=64, hidden=160, layers=3, heads=8, kv_heads=2, vocab=300,
         tied=False, bias=False, theta=10000.0, scaling=None, eps=1e-5),
    dict(name="llama-tied", arch="llama", dim=48, hidden=128, layers=2, heads=4, kv_heads=4, vocab=257,
         tied=True, bias=False, theta=10000.0, scaling=None, eps=1e-6),
    dict(name="llama3-scaled", arch="llama", dim=64, hidden=192, layers=2, heads=4, kv_heads=2, vocab=320,
         tied=False, bias=False, theta=500000.0, eps=1e-5,
         scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                      original_max_position_embeddings=64)),
    dict(name="qwen2-bias", arch="qwen2", dim=64, hidden=176, layers=3, heads=8, kv_heads=2, vocab=290,
         tied=True, bias=True, theta=1000000.0, scaling=None, eps=1e-6),
]
PROMPT_LENGTH = 40
CONTEXT = 128


def random_weights(m, rng):
    d, h, hd = m["dim"], m["hidden"], m["dim"] // m["heads"]
    kv = m["kv_heads"] * hd
    w = {"model.embed_tokens.weight": rng.normal(0, 1.0, (m["vocab"], d))}
    for i in range(m["layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = 1 + rng.normal(0, 0.1, d)
        w[p + "self_attn.q_proj.weight"] = rng.normal(0, d ** -0.5, (d, d))
        w[p + "self_attn.k_proj.weight"] = rng.normal(0, d ** -0.5, (kv, d))
        w[p + "self_attn.v_proj.weight"] = rng.normal(0, d ** -0.5, (kv, d))
        if m["bias"]:
            w[p + "self_attn.q_proj.bias"] = rng.normal(0, 0.1, d)
            w[p + "self_attn.k_proj.bias"] = rng.normal(0, 0.1, kv)
            w[p + "self_attn.v_proj.bias"] = rng.normal(0, 0.1, kv)
        w[p + "self_attn.o_proj.weight"] = rng.normal(0, d ** -0.5, (d, d))
        w[p + "post_attention_layernorm.weight"] = 1 + rng.normal(0, 0.1, d)
        w[p + "mlp.gate_proj.weight"] = rng.normal(0, d ** -0.5, (h, d))
        w[p + "mlp.up_proj.weight"] = rng.normal(0, d ** -0.5, (h, d))
        w[p + "mlp.down_proj.weight"] = rng.normal(0, h ** -0.5, (d, h))
    w["model.norm.weight"] = 1 + rng.normal(0, 0.1, d)
    if not m["tied"]:
        w["lm_head.weight"] = rng.normal(0, d ** -0.5, (m["vocab"], d))
    # the file holds float32: compute with exactly those values
    return {k: v.astype(np.float32) for k, v in w.items()}


def inv_frequencies(m):
    hd = m["dim"] // m["heads"]
    inv = 1.0 / (m["theta"] ** (np.arange(0, hd, 2, dtype=np.float64) / hd))
    s = m["scaling"]
    if s is None:
        return inv
    old = s["original_max_position_embeddings"]
    low_wavelen = old / s["low_freq_factor"]
    high_wavelen = old / s["high_freq_factor"]
    out = []
    for f in inv:
        wavelen = 2 * math.pi / f
        if wavelen < high_wavelen:
            out.append(f)
        elif wavelen > low_wavelen:
            out.append(f / s["factor"])
        else:
            smooth = (old / wavelen - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
            out.append((1 - smooth) * f / s["factor"] + smooth * f)
    return np.array(out)


def rms_norm(x, g, eps):
    return x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + eps) * g


def rotate_half(x):
    half = x.shape[-1] // 2
    return np.concatenate([-x[..., half:], x[..., :half]], axis=-1)


def forward(m, w, tokens):
    """Logits for every position of tokens, float64."""
    d, hd = m["dim"], m["dim"] // m["heads"]
    nh, nkv = m["heads"], m["kv_heads"]
    n = len(tokens)
    W = {k: v.astype(np.float64) for k, v in w.items()}
    x = W["model.embed_tokens.weight"][tokens]
    inv = inv_frequencies(m)
    angles = np.outer(np.arange(n), inv)
    cos = np.cos(np.concatenate([angles, angles], axis=-1))[:, None, :]
    sin = np.sin(np.concatenate([angles, angles], axis=-1))[:, None, :]
    mask = np.triu(np.full((n, n), -np.inf), 1)
    for i in range(m["layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, W[p + "input_layernorm.weight"], m["eps"])
        q = h @ W[p + "self_attn.q_proj.weight"].T
        k = h @ W[p + "self_attn.k_proj.weight"].T
        v = h @ W[p + "self_attn.v_proj.weight"].T
        if m["bias"]:
            q += W[p + "self_attn.q_proj.bias"]
            k += W[p + "self_attn.k_proj.bias"]
            v += W[p + "self_attn.v_proj.bias"]
        q = q.reshape(n, nh, hd)
        k = k.reshape(n, nkv, hd)
        v = v.reshape(n, nkv, hd)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        out = np.zeros((n, nh, hd))
        for head in range(nh):
            kvh = head // (nh // nkv)
            scores = q[:, head, :] @ k[:, kvh, :].T / math.sqrt(hd) + mask
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            out[:, head, :] = scores @ v[:, kvh, :]
        x = x + out.reshape(n, d) @ W[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, W[p + "post_attention_layernorm.weight"], m["eps"])
        g = h @ W[p + "mlp.gate_proj.weight"].T
        u = h @ W[p + "mlp.up_proj.weight"].T
        x = x + (g / (1 + np.exp(-g)) * u) @ W[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, W["model.norm.weight"], m["eps"])
    head = W["model.embed_tokens.weight"] if m["tied"] else W["lm_head.weight"]
    return x @ head.T


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def config_json(m):
    hd = m["dim"] // m["heads"]
    c = {
        "architectures": ["Qwen2ForCausalLM" if m["arch"] == "qwen2" else "LlamaForCausalLM"],
        "model_type": m["arch"],
        "hidden_size": m["dim"],
        "intermediate_size": m["hidden"],
        "num_hidden_layers": m["layers"],
        "num_attention_heads": m["heads"],
        "num_key_value_heads": m["kv_heads"],
        "head_dim": hd,
        "vocab_size": m["vocab"],
        "max_position_embeddings": CONTEXT,
        "rms_norm_eps": m["eps"],
        "rope_theta": m["theta"],
        "tie_word_embeddings": m["tied"],
        "hidden_act": "silu",
        "torch_dtype": "float32",
        "bos_token_id": 1,
        "eos_token_id": 2,
    }
    if m["arch"] == "llama":
        c["attention_bias"] = m["bias"]
    if m["scaling"] is not None:
        c["rope_scaling"] = m["scaling"]
    return c


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "engine/src/test/resources/reference")
    for index, m in enumerate(MODELS):
        rng = np.random.default_rng(1000 + index)
        w = random_weights(m, rng)
        tokens = [int(t) for t in rng.integers(0, m["vocab"], PROMPT_LENGTH)]
        logits = forward(m, w, tokens)
        folder = os.path.join(out, m["name"])
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config_json(m), f, indent=2)
        write_safetensors(os.path.join(folder, "model.safetensors"), w)
        logits.astype("<f4").tofile(os.path.join(folder, "logits.f32"))
        with open(os.path.join(folder, "expected.json"), "w") as f:
            json.dump({"prompt": tokens, "positions": len(tokens), "vocab": m["vocab"],
                       "logits": "logits.f32", "generator": "tools/reference/reference.py"}, f, indent=2)
        print(f"{m['name']}: {sum(v.size for v in w.values()):,} parameters, logits {logits.shape}")


if __name__ == "__main__":
    main()
