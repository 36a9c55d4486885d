#!/usr/bin/env python3
"""Greedy generation with llama2.c's stories260K in numpy, following llama2.c's run.c: its
tokenizer (BOS, dummy-prefix space, best-score pair merges), float32 weights, interleaved RoPE on
adjacent pairs, and its decoding rules. Writes the expected texts for several prompts to
engine/src/test/resources/reference/stories260K.json.

  python3 tools/reference/stories.py [SHARED_DIR]

The forward pass runs in float32, as run.c does, so greedy choices match it even at near-ties.
"""
import json
import os
import struct
import sys

import numpy as np

PROMPTS = ["Once upon a time", "Lily and Tom", "The cat", "One day, a big dog", "She said", "Tim was happy because",
           "The sun", "Mom", "A little bird wanted to fly", "Ben's toy car"]
NEW_TOKENS = 124


def read_model(path):
    with open(path, "rb") as f:
        dim, hidden, layers, heads, kv_heads, vocab, seq_len = struct.unpack("<7i", f.read(28))
        data = np.frombuffer(f.read(), dtype="<f4")
    shared = vocab > 0
    vocab = abs(vocab)
    hd = dim // heads
    kv = kv_heads * hd
    sizes = [("emb", vocab * dim), ("att_norm", layers * dim), ("wq", layers * dim * dim), ("wk", layers * kv * dim),
             ("wv", layers * kv * dim), ("wo", layers * dim * dim), ("ffn_norm", layers * dim),
             ("w1", layers * hidden * dim), ("w2", layers * dim * hidden), ("w3", layers * hidden * dim),
             ("final_norm", dim), ("cos", seq_len * hd // 2), ("sin", seq_len * hd // 2)]
    w, off = {}, 0
    for name, n in sizes:
        w[name] = data[off:off + n]
        off += n
    w["cls"] = w["emb"] if shared else data[off:off + vocab * dim]
    cfg = dict(dim=dim, hidden=hidden, layers=layers, heads=heads, kv_heads=kv_heads, vocab=vocab, seq_len=seq_len)
    return cfg, w


def read_tokenizer(path, vocab):
    pieces, scores = [], []
    with open(path, "rb") as f:
        f.read(4)
        for _ in range(vocab):
            score, n = struct.unpack("<fi", f.read(8))
            pieces.append(f.read(n))
            scores.append(score)
    return pieces, scores


def encode(text, pieces, scores):
    index = {p: i for i, p in enumerate(pieces)}
    # the dummy-prefix space is merged with the text (BOS never merges: no piece starts with it)
    ids = [index[b" "]] if text else []
    data = text.encode("utf-8")
    i = 0
    while i < len(data):
        n = 1
        while i + n < len(data) and (data[i + n] & 0xC0) == 0x80 and n < 4:
            n += 1
        cp = data[i:i + n]
        if cp in index:
            ids.append(index[cp])
        else:
            ids.extend(b + 3 for b in cp)
        i += n
    while True:
        best, best_score, best_id = -1, -1e10, -1
        for k in range(len(ids) - 1):
            merged = pieces[ids[k]] + pieces[ids[k + 1]]
            if merged in index and scores[index[merged]] > best_score:
                best, best_score, best_id = k, scores[index[merged]], index[merged]
        if best < 0:
            break
        ids[best:best + 2] = [best_id]
    return [1] + ids


def decode_piece(prev, token, pieces):
    p = pieces[token]
    if prev == 1 and p.startswith(b" "):
        p = p[1:]
    if p.startswith(b"<0x") and p.endswith(b">") and len(p) == 6:
        p = bytes([int(p[3:5], 16)])
    return p


def rmsnorm(x, w):
    ss = np.float32(np.dot(x, x) / np.float32(len(x)) + np.float32(1e-5))
    return (w * (x * np.float32(1.0 / np.sqrt(ss)))).astype(np.float32)


def forward(cfg, w, token, pos, kcache, vcache):
    dim, hidden, heads, kvh = cfg["dim"], cfg["hidden"], cfg["heads"], cfg["kv_heads"]
    hd = dim // heads
    kv = kvh * hd
    x = w["emb"][token * dim:(token + 1) * dim].copy()
    for l in range(cfg["layers"]):
        xb = rmsnorm(x, w["att_norm"][l * dim:(l + 1) * dim])
        q = w["wq"][l * dim * dim:(l + 1) * dim * dim].reshape(dim, dim) @ xb
        k = w["wk"][l * kv * dim:(l + 1) * kv * dim].reshape(kv, dim) @ xb
        v = w["wv"][l * kv * dim:(l + 1) * kv * dim].reshape(kv, dim) @ xb
        for i in range(0, dim, 2):
            freq = np.float32(1.0) / np.float32(10000.0 ** ((i % hd) / hd))
            val = np.float32(pos) * freq
            fcr, fci = np.float32(np.cos(val)), np.float32(np.sin(val))
            for vec in ((q, k) if i < kv else (q,)):
                v0, v1 = vec[i], vec[i + 1]
                vec[i] = v0 * fcr - v1 * fci
                vec[i + 1] = v0 * fci + v1 * fcr
        kcache[l, pos] = k
        vcache[l, pos] = v
        att_out = np.zeros(dim, dtype=np.float32)
        for h in range(heads):
            kh = h // (heads // kvh)
            qh = q[h * hd:(h + 1) * hd]
            scores = (kcache[l, :pos + 1, kh * hd:(kh + 1) * hd] @ qh) / np.float32(np.sqrt(hd))
            scores = np.exp(scores - scores.max()).astype(np.float32)
            scores /= scores.sum()
            att_out[h * hd:(h + 1) * hd] = scores @ vcache[l, :pos + 1, kh * hd:(kh + 1) * hd]
        x = x + w["wo"][l * dim * dim:(l + 1) * dim * dim].reshape(dim, dim) @ att_out
        xb = rmsnorm(x, w["ffn_norm"][l * dim:(l + 1) * dim])
        h1 = w["w1"][l * hidden * dim:(l + 1) * hidden * dim].reshape(hidden, dim) @ xb
        h3 = w["w3"][l * hidden * dim:(l + 1) * hidden * dim].reshape(hidden, dim) @ xb
        h1 = h1 * (np.float32(1.0) / (np.float32(1.0) + np.exp(-h1)))
        x = x + w["w2"][l * dim * hidden:(l + 1) * dim * hidden].reshape(dim, hidden) @ (h1 * h3)
    x = rmsnorm(x, w["final_norm"])
    return w["cls"].reshape(cfg["vocab"], dim) @ x


def generate(cfg, w, pieces, prompt_ids, new_tokens):
    kv = cfg["kv_heads"] * cfg["dim"] // cfg["heads"]
    total = len(prompt_ids) + new_tokens
    kcache = np.zeros((cfg["layers"], total, kv), dtype=np.float32)
    vcache = np.zeros((cfg["layers"], total, kv), dtype=np.float32)
    token, out_ids, text = prompt_ids[0], [], b""
    for pos in range(total - 1):
        logits = forward(cfg, w, token, pos, kcache, vcache)
        if pos < len(prompt_ids) - 1:
            nxt = prompt_ids[pos + 1]
        else:
            nxt = int(np.argmax(logits))
            if nxt == 1:
                break
            out_ids.append(nxt)
            text += decode_piece(token, nxt, pieces)
        token = nxt
    return out_ids, text.decode("utf-8", errors="replace")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared")
    model = os.path.join(shared, "models/stories260K")
    cfg, w = read_model(os.path.join(model, "stories260K.bin"))
    pieces, scores = read_tokenizer(os.path.join(model, "tok512.bin"), cfg["vocab"])
    cases = []
    for p in PROMPTS:
        ids = encode(p, pieces, scores)
        out_ids, text = generate(cfg, w, pieces, ids, NEW_TOKENS)
        cases.append({"prompt": p, "prompt_ids": ids, "generated_ids": out_ids, "text": text})
        print(json.dumps(p), "->", len(out_ids), "tokens:", json.dumps(text[:60]))
    out = os.path.join(root, "engine/src/test/resources/reference/stories260K.json")
    with open(out, "w") as f:
        json.dump({"generator": "tools/reference/stories.py", "new_tokens": NEW_TOKENS, "cases": cases}, f, indent=1,
                  ensure_ascii=False)


if __name__ == "__main__":
    main()
