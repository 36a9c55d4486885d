"""Writes a trained model as a Hugging Face folder: config.json, model.safetensors,
tokenizer.json, tokenizer_config.json, generation_config.json.

safetensors is written by hand (the package is not installed): an 8-byte little-endian header
length, a JSON header naming each tensor's dtype, shape and [begin, end) byte offsets into the
data that follows, then the raw little-endian float32 data.
"""
import json
import os
import struct

import numpy as np

import bpe

# A chat request whose user message is the question renders exactly the completion prompt the
# model was trained on: "<s>Q: 38+47\nA:"; an assistant turn is " answer</s>".
CHAT_TEMPLATE = ("{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}"
                 "Q: {{ message['content'] }}\nA:{% elif message['role'] == 'assistant' %}"
                 " {{ message['content'] }}{{ eos_token }}{% endif %}{% endfor %}")
MAX_NEW_TOKENS = 16  # longest answer: space + 9 digits + EOS


def write_safetensors(path, tensors):
    """tensors: name -> float32 numpy array, written in name order."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        blobs.append(a.tobytes())
        offset += a.nbytes
    header["__metadata__"] = {"format": "pt"}
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)  # pad so the data starts 8-byte aligned, as the reference writer does
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    header.pop("__metadata__", None)
    return {k: np.frombuffer(data[v["data_offsets"][0]:v["data_offsets"][1]], dtype="<f4").reshape(v["shape"])
            for k, v in header.items()}


def hf_config(c):
    return {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": c.hidden_size,
        "intermediate_size": c.intermediate_size,
        "num_hidden_layers": c.num_hidden_layers,
        "num_attention_heads": c.num_attention_heads,
        "num_key_value_heads": c.num_key_value_heads,
        "head_dim": c.head_dim,
        "vocab_size": c.vocab_size,
        "max_position_embeddings": c.max_position_embeddings,
        "rms_norm_eps": c.rms_norm_eps,
        "rope_theta": c.rope_theta,
        "rope_scaling": None,
        "tie_word_embeddings": c.tie_word_embeddings,
        "attention_bias": False,
        "mlp_bias": False,
        "bos_token_id": bpe.BOS,
        "eos_token_id": bpe.EOS,
        "pad_token_id": bpe.PAD,
        "hidden_act": "silu",
        "initializer_range": 0.02,
        "torch_dtype": "float32",
        "use_cache": True,
    }


def save_folder(folder, model, tokenizer):
    os.makedirs(folder, exist_ok=True)
    c = model.config
    tensors = {name: p.detach().cpu().numpy() for name, p in model.state_dict().items()}
    if c.tie_word_embeddings:
        tensors.pop("lm_head.weight")  # tied: Hugging Face stores only the embedding
    write_safetensors(os.path.join(folder, "model.safetensors"), tensors)
    dump(os.path.join(folder, "config.json"), hf_config(c))
    tokenizer.save(os.path.join(folder, "tokenizer.json"))
    dump(os.path.join(folder, "tokenizer_config.json"), {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "add_bos_token": True,
        "add_eos_token": False,
        "bos_token": "<s>",
        "eos_token": "</s>",
        "pad_token": "<pad>",
        "model_max_length": c.max_position_embeddings,
        "clean_up_tokenization_spaces": False,
        "chat_template": CHAT_TEMPLATE,
    })
    dump(os.path.join(folder, "generation_config.json"), {
        "bos_token_id": bpe.BOS, "eos_token_id": bpe.EOS, "pad_token_id": bpe.PAD,
        "do_sample": False, "max_new_tokens": MAX_NEW_TOKENS,
    })


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2, ensure_ascii=False)
        f.write("\n")
