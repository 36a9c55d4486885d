#!/usr/bin/python3
"""Trains the demo family (demo-tiny, demo-small, demo-base) and writes it under models/demo/.

    /usr/bin/python3 tools/demo-family/train.py --all              # the real run (CPU, ~75 min)
    /usr/bin/python3 tools/demo-family/train.py --all --device cuda
    /usr/bin/python3 tools/demo-family/train.py --smoke            # a few minutes, to /tmp
    /usr/bin/python3 tools/demo-family/train.py --eval-only        # eval.jsonl + tokenizer only

For each model: train with a fixed seed, export the Hugging Face folder, then decode every
eval.jsonl prompt greedily in PyTorch and write greedy_answers.jsonl and accuracy.md next to it.
"""
import argparse
import itertools
import json
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import export  # noqa: E402
import tasks  # noqa: E402
from model import Config, Llama  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
ROW = 64             # packed training row length: 2-4 examples (each at most 30 tokens)
TOKENS_PER_STEP = 4096
TOKENIZER_SAMPLE = 20000  # training-stream items the BPE is learnt from

# Shapes: clearly different sizes (0.09M, 0.73M, 2.7M parameters with the 274-token vocabulary);
# float32 weights of all three stay under the 16 MB budget (0.36 + 2.9 + 10.8 MB).
# steps: chosen from measured CPU step times so that all three fit ~75 minutes on 2 cores
# (see README.md). lr: smaller models take a larger learning rate.
MODELS = {
    "tiny": dict(shape=dict(hidden_size=48, intermediate_size=128, num_hidden_layers=3,
                            num_attention_heads=4, num_key_value_heads=2, tie_word_embeddings=True),
                 steps=1500, lr=3e-3),
    "small": dict(shape=dict(hidden_size=96, intermediate_size=192, num_hidden_layers=3,
                             num_attention_heads=4, num_key_value_heads=4, tie_word_embeddings=False),
                  steps=1500, lr=2e-3),
    "base": dict(shape=dict(hidden_size=256, intermediate_size=576, num_hidden_layers=4,
                            num_attention_heads=8, num_key_value_heads=4, tie_word_embeddings=False),
                 steps=1800, lr=1e-3),
}
SMOKE_STEPS = 40
SEED = 1234


def build_data(out):
    """eval.jsonl (written to `out`) and the tokenizer learnt from the training stream."""
    items = tasks.eval_items()
    os.makedirs(out, exist_ok=True)
    tasks.write_jsonl(os.path.join(out, "eval.jsonl"), items)
    exclude = {it["prompt"] for it in items}
    sample = itertools.islice(tasks.train_stream(exclude), TOKENIZER_SAMPLE)
    tokenizer = bpe.train(it["prompt"] + it["answer"] for it in sample)
    return items, exclude, tokenizer


def encode_example(tokenizer, item):
    """Token ids <s> prompt answer </s>, and where the answer starts (the loss covers only the
    answer and EOS: the operands are random, predicting them teaches nothing)."""
    prompt = tokenizer.encode(item["prompt"], bos=True)
    answer = tokenizer.encode(item["answer"])
    return prompt + answer + [bpe.EOS], len(prompt)


def batches(tokenizer, exclude, rows):
    """Endless packed batches: ids, targets (-100 = no loss), positions, attention mask."""
    stream = tasks.train_stream(exclude)
    pending = None
    while True:
        ids = torch.full((rows, ROW), bpe.PAD, dtype=torch.long)
        targets = torch.full((rows, ROW), -100, dtype=torch.long)
        positions = torch.zeros((rows, ROW), dtype=torch.long)
        segments = torch.full((rows, ROW), -1, dtype=torch.long)  # padding: its own segment
        for r in range(rows):
            at, seg = 0, 0
            while True:
                if pending is None:
                    pending = encode_example(tokenizer, next(stream))
                seq, answer_at = pending
                n = len(seq) - 1  # inputs are seq[:-1], targets seq[1:]
                if at + n > ROW:
                    break
                ids[r, at:at + n] = torch.tensor(seq[:-1])
                tgt = torch.tensor(seq[1:])
                tgt[:answer_at - 1] = -100
                targets[r, at:at + n] = tgt
                positions[r, at:at + n] = torch.arange(n)
                segments[r, at:at + n] = seg
                at, seg, pending = at + n, seg + 1, None
        causal = torch.ones(ROW, ROW, dtype=torch.bool).tril()
        mask = (segments[:, :, None] == segments[:, None, :]) & causal  # block-diagonal causal
        yield ids, targets, positions, mask[:, None]


def lr_at(step, steps, peak):
    """Linear warm-up over 5% of the steps, then cosine decay to 10% of the peak."""
    warm = max(1, steps // 20)
    if step < warm:
        return peak * (step + 1) / warm
    t = (step - warm) / max(1, steps - warm)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * t)))


def train(name, spec, tokenizer, exclude, steps, device, log):
    torch.manual_seed(SEED)
    config = Config(vocab_size=len(tokenizer), **spec["shape"])
    model = Llama(config).to(device)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=spec["lr"], betas=(0.9, 0.98), eps=1e-8)
    data = batches(tokenizer, exclude, TOKENS_PER_STEP // ROW)
    print(f"[{name}] {model.num_parameters():,} parameters, {steps} steps", flush=True)
    start, history, window = time.time(), [], []
    for step in range(steps):
        ids, targets, positions, mask = (t.to(device) for t in next(data))
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, spec["lr"])
        logits = model(ids, positions, mask)
        loss = F.cross_entropy(logits.view(-1, logits.shape[-1]), targets.view(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        window.append(loss.item())
        if (step + 1) % log == 0 or step + 1 == steps:
            elapsed = time.time() - start
            history.append({"step": step + 1, "loss": sum(window) / len(window), "seconds": round(elapsed, 1)})
            print(f"[{name}] step {step + 1}/{steps} loss {history[-1]['loss']:.4f} "
                  f"{elapsed / (step + 1):.3f} s/step", flush=True)
            window = []
    return model, {"parameters": model.num_parameters(), "steps": steps, "tokens_per_step": TOKENS_PER_STEP,
                   "seconds": round(time.time() - start, 1), "device": str(device), "history": history}


@torch.no_grad()
def greedy(model, tokenizer, items, device, batch=256):
    """Greedy answers for every item: argmax each step with a K,V cache, stop at EOS or
    MAX_NEW_TOKENS. Prompts of equal token length are batched together, so no padding."""
    model.eval()
    encoded = [tokenizer.encode(it["prompt"], bos=True) for it in items]
    by_len = {}
    for i, ids in enumerate(encoded):
        by_len.setdefault(len(ids), []).append(i)
    out = [None] * len(items)
    for length, members in sorted(by_len.items()):
        for chunk in range(0, len(members), batch):
            idx = members[chunk:chunk + batch]
            ids = torch.tensor([encoded[i] for i in idx], device=device)
            b = len(idx)
            caches = [{} for _ in model.model.layers]
            positions = torch.arange(length, device=device).expand(b, length)
            mask = torch.ones(length, length, dtype=torch.bool, device=device).tril()[None, None]
            logits = model(ids, positions, mask, caches)[:, -1]
            generated = [[] for _ in idx]
            done = [False] * b
            for t in range(export.MAX_NEW_TOKENS):
                nxt = logits.argmax(-1)
                for r, tok in enumerate(nxt.tolist()):
                    if not done[r]:
                        if tok == bpe.EOS:
                            done[r] = True
                        else:
                            generated[r].append(tok)
                if all(done) or t + 1 == export.MAX_NEW_TOKENS:
                    break
                pos = torch.full((b, 1), length + t, device=device)
                step_mask = torch.ones(1, 1, 1, length + t + 1, dtype=torch.bool, device=device)
                logits = model(nxt[:, None], pos, step_mask, caches)[:, -1]
            for r, i in enumerate(idx):
                out[i] = (generated[r], done[r])
    model.train()
    return out


def evaluate(name, model, tokenizer, items, folder, device, info):
    start = time.time()
    results = greedy(model, tokenizer, items, device)
    rows, table = [], {}
    for it, (ids, stopped) in zip(items, results):
        text = tokenizer.decode(ids)
        correct = stopped and text == it["answer"]
        rows.append({"id": it["id"], "difficulty": it["difficulty"], "task": it["task"], "ids": ids,
                     "text": text, "stopped_at_eos": stopped, "correct": correct})
        for key in (it["difficulty"], f"{it['difficulty']}/{it['task']}", "all"):
            hit, n = table.get(key, (0, 0))
            table[key] = (hit + correct, n + 1)
    tasks.write_jsonl(os.path.join(folder, "greedy_answers.jsonl"), rows)
    lines = [f"# demo-{name}: greedy exact-match accuracy on eval.jsonl (PyTorch)", "",
             f"{info['parameters']:,} parameters; {info['steps']} training steps of {info['tokens_per_step']} "
             f"tokens in {info['seconds']} s on {info['device']}.", "",
             "| difficulty | task | correct | items | accuracy |", "| --- | --- | ---: | ---: | ---: |"]
    order = [(d, None) for d in tasks.DIFFICULTIES] + [("all", None)]
    for d, _ in order:
        for key in [d] + sorted(k for k in table if k.startswith(d + "/")):
            hit, n = table[key]
            diff, _, task = key.partition("/")
            lines.append(f"| {diff} | {task or '**all**'} | {hit} | {n} | {100 * hit / n:.1f}% |")
    with open(os.path.join(folder, "accuracy.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    summary = {k: round(table[k][0] / table[k][1], 4) for k in list(tasks.DIFFICULTIES) + ["all"]}
    print(f"[{name}] accuracy {summary} (eval {time.time() - start:.1f} s)", flush=True)
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--all", action="store_true", help="train tiny, small and base")
    ap.add_argument("--models", default=None, help="comma-separated subset, e.g. tiny,small")
    ap.add_argument("--smoke", action="store_true", help=f"{SMOKE_STEPS} steps per model, output to /tmp")
    ap.add_argument("--eval-only", action="store_true", help="write eval.jsonl and tokenizer.json only")
    ap.add_argument("--steps", type=int, default=None, help="override every model's step count")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--threads", type=int, default=2, help="CPU threads (the reference machine has 2 cores)")
    ap.add_argument("--out", default=None, help="output folder (default models/demo, or /tmp/... with --smoke)")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    random.seed(SEED)
    torch.manual_seed(SEED)
    out = args.out or ("/tmp/cascade-demo-smoke" if args.smoke else os.path.join(REPO, "models", "demo"))
    names = list(MODELS) if (args.all or args.smoke or not args.models) else args.models.split(",")
    print(f"torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} threads, out {out}", flush=True)

    items, exclude, tokenizer = build_data(out)
    tokenizer.save(os.path.join(out, "tokenizer.json"))
    print(f"eval.jsonl: {len(items)} items; tokenizer: {len(tokenizer)} tokens, {len(tokenizer.merges)} merges")
    if args.eval_only:
        return
    summary = {}
    for name in names:
        spec = MODELS[name]
        steps = args.steps or (SMOKE_STEPS if args.smoke else spec["steps"])
        model, info = train(name, spec, tokenizer, exclude, steps, torch.device(args.device), log=max(1, min(100, steps // 10)))
        folder = os.path.join(out, name)
        export.save_folder(folder, model, tokenizer)
        info["accuracy"] = evaluate(name, model, tokenizer, items, folder, args.device, info)
        export.dump(os.path.join(folder, "train_log.json"), info)
        summary[name] = info
    for name, info in summary.items():
        print(f"{name:5} {info['parameters']:>9,} params {info['seconds']:>7.1f} s  {info['accuracy']}")


if __name__ == "__main__":
    main()
