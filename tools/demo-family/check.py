"""Checks the written demo folders without PyTorch, under pyenv's python3 which has Hugging
Face's `tokenizers` (and jinja2, when installed):

    python3 tools/demo-family/check.py [models/demo]

- tokenizer.json, loaded by `tokenizers`, encodes every eval item and 20,000 training-stream
  items to exactly the ids the training used (bpe.py's encoder), and decodes them back;
- the chat template renders a user message as exactly the eval prompt;
- model.safetensors holds Hugging Face's tensor names with the shapes config.json implies;
- the folders together stay under 16 MB.
"""
import itertools
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bpe  # noqa: E402
import tasks  # noqa: E402

LIMIT_BYTES = 16 * 1000 * 1000


def check_tokenizer(path, items):
    import tokenizers
    hf = tokenizers.Tokenizer.from_file(path)
    ours = bpe.Tokenizer.load(path)
    exclude = {it["prompt"] for it in items}
    sample = list(itertools.islice(tasks.train_stream(exclude), 20000))
    bad = 0
    for it in items + sample:
        for text, bos in ((it["prompt"], True), (it["answer"], False), (it["prompt"] + it["answer"], True)):
            ids = ours.encode(text, bos=bos)
            if hf.encode(text, add_special_tokens=bos).ids != ids or hf.decode(ids) != text:
                bad += 1
                if bad <= 3:
                    print("  mismatch:", repr(text), ids, hf.encode(text, add_special_tokens=bos).ids)
    # training concatenates prompt and answer ids: that must equal encoding the whole text
    split = sum(ours.encode(it["prompt"] + it["answer"], bos=True) != ours.encode(it["prompt"], bos=True) + ours.encode(it["answer"])
                for it in items)
    print(f"{path}: {hf.get_vocab_size()} tokens, {len(items) + len(sample)} items, {bad} mismatches, "
          f"{split} prompt/answer boundary merges")
    return bad == 0 and split == 0


def check_template(folder, items):
    try:
        import jinja2
    except ImportError:
        print("  (jinja2 not installed: chat template not rendered)")
        return True
    with open(os.path.join(folder, "tokenizer_config.json")) as f:
        cfg = json.load(f)
    template = jinja2.Environment().from_string(cfg["chat_template"])
    bad = 0
    for it in items[:200]:
        question = it["prompt"][len("Q: "):-len("\nA:")]
        text = template.render(messages=[{"role": "user", "content": question}], bos_token=cfg["bos_token"],
                               eos_token=cfg["eos_token"], add_generation_prompt=True)
        bad += text != cfg["bos_token"] + it["prompt"]
    print(f"  chat template: {bad} of 200 renderings differ from <s> + prompt")
    return bad == 0


def expected_shapes(c):
    d, hd, inter = c["hidden_size"], c["head_dim"], c["intermediate_size"]
    shapes = {"model.embed_tokens.weight": [c["vocab_size"], d], "model.norm.weight": [d]}
    if not c["tie_word_embeddings"]:
        shapes["lm_head.weight"] = [c["vocab_size"], d]
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        shapes.update({
            p + "self_attn.q_proj.weight": [c["num_attention_heads"] * hd, d],
            p + "self_attn.k_proj.weight": [c["num_key_value_heads"] * hd, d],
            p + "self_attn.v_proj.weight": [c["num_key_value_heads"] * hd, d],
            p + "self_attn.o_proj.weight": [d, c["num_attention_heads"] * hd],
            p + "mlp.gate_proj.weight": [inter, d],
            p + "mlp.up_proj.weight": [inter, d],
            p + "mlp.down_proj.weight": [d, inter],
            p + "input_layernorm.weight": [d],
            p + "post_attention_layernorm.weight": [d],
        })
    return shapes


def check_weights(folder):
    with open(os.path.join(folder, "config.json")) as f:
        c = json.load(f)
    path = os.path.join(folder, "model.safetensors")
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    want = expected_shapes(c)
    got = {k: v["shape"] for k, v in header.items()}
    ok = got == want and all(v["dtype"] == "F32" for v in header.values())
    end = max(v["data_offsets"][1] for v in header.values())
    ok = ok and os.path.getsize(path) == 8 + n + end
    params = sum(eval("*".join(map(str, s)) or "1") for s in got.values())
    print(f"  {folder}: {c['architectures'][0]}, {len(got)} tensors, {params:,} parameters, "
          f"{'ok' if ok else 'MISMATCH'}")
    return ok


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "models", "demo")
    items = tasks.read_jsonl(os.path.join(root, "eval.jsonl"))
    ok = items == tasks.eval_items()
    print(f"eval.jsonl: {len(items)} items, {'as generated' if ok else 'DIFFERS from the generator'}")
    total = 0
    for name in ("tiny", "small", "base"):
        folder = os.path.join(root, name)
        if not os.path.isdir(folder):
            print(f"  {folder}: not there")
            continue
        ok &= check_tokenizer(os.path.join(folder, "tokenizer.json"), items)
        ok &= check_template(folder, items)
        ok &= check_weights(folder)
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
    print(f"folders: {total / 1e6:.1f} MB (limit {LIMIT_BYTES / 1e6:.0f} MB)")
    ok &= total <= LIMIT_BYTES
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
