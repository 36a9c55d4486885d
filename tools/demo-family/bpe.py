"""A small byte-level BPE, trained here and saved as a Hugging Face tokenizer.json.

The format is GPT-2's: a ByteLevel pre-tokenizer with its split regex, the 256 byte symbols in
the vocabulary, ranked merges, a ByteLevel decoder. A TemplateProcessing post-processor adds
<s> so that the `tokenizers` library's encode() gives what the models were trained on.

Merges are learnt only between lower-case letters and the leading space (the instruction words
" copy", " sort", " reverse"). Digits and the upper-case data letters are never merged: each
stays one token, which is what makes arithmetic, copying and reversing learnable token by token
(the same reason Llama 3 and others split digits).

Pure Python (no torch), so the check under pyenv's interpreter can import it.
"""
import json
import re
from collections import Counter

SPECIALS = ["<pad>", "<s>", "</s>"]  # ids 0, 1, 2
PAD, BOS, EOS = 0, 1, 2

# GPT-2's pre-tokenizer regex, written for ASCII (Python's re has no \p{L}); the task text is
# ASCII, where the two agree.
SPLIT = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[A-Za-z]+| ?[0-9]+| ?[^\sA-Za-z0-9]+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's reversible map from bytes to printable characters (space -> 'Ġ', '\\n' -> 'Ċ')."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_CHARS = bytes_to_unicode()
MERGEABLE = set("abcdefghijklmnopqrstuvwxyz") | {BYTE_CHARS[ord(" ")]}


def pieces(text):
    """Pre-tokens as strings of byte characters."""
    return ["".join(BYTE_CHARS[b] for b in m.group().encode("utf-8")) for m in SPLIT.finditer(text)]


def train(texts, max_merges=64, min_count=2):
    """Classic BPE: repeatedly merge the most frequent adjacent pair (ties: first seen in
    sorted order, so the result is deterministic), restricted to MERGEABLE symbols."""
    words = Counter()
    for t in texts:
        words.update(pieces(t))
    words = {tuple(w): c for w, c in sorted(words.items())}
    merges = []
    while len(merges) < max_merges:
        pairs = Counter()
        for w, c in words.items():
            for a, b in zip(w, w[1:]):
                if set(a) <= MERGEABLE and set(b) <= MERGEABLE:
                    pairs[(a, b)] += c
        if not pairs:
            break
        best, count = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if count < min_count:
            break
        merges.append(best)
        joined = best[0] + best[1]
        new_words = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(joined)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] = new_words.get(tuple(out), 0) + c
        words = new_words
    return Tokenizer(merges)


class Tokenizer:
    def __init__(self, merges):
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: i for i, m in enumerate(self.merges)}
        self.vocab = {s: i for i, s in enumerate(SPECIALS)}
        for b in range(256):
            self.vocab[BYTE_CHARS[b]] = len(self.vocab)
        for a, b in self.merges:
            self.vocab.setdefault(a + b, len(self.vocab))
        self.inverse = {i: s for s, i in self.vocab.items()}
        self.byte_of = {c: b for b, c in BYTE_CHARS.items()}
        self.cache = {}

    def __len__(self):
        return len(self.vocab)

    def _bpe(self, piece):
        if piece in self.cache:
            return self.cache[piece]
        syms = list(piece)
        while len(syms) > 1:
            # apply the lowest-ranked merge present, everywhere it occurs (as HF's BPE does)
            ranked = [(self.ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(syms, syms[1:]))]
            rank, _ = min(ranked)
            if rank == 1 << 30:
                break
            a, b = self.merges[rank]
            out, i = [], 0
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            syms = out
        ids = [self.vocab[s] for s in syms]
        self.cache[piece] = ids
        return ids

    def encode(self, text, bos=False):
        ids = [BOS] if bos else []
        for p in pieces(text):
            ids.extend(self._bpe(p))
        return ids

    def decode(self, ids):
        data = bytearray()
        for i in ids:
            if i >= len(SPECIALS):
                data.extend(self.byte_of[c] for c in self.inverse[i])
        return data.decode("utf-8", errors="replace")

    def to_json(self):
        def added(i, s):
            return {"id": i, "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                    "normalized": False, "special": True}
        bos = {"SpecialToken": {"id": "<s>", "type_id": 0}}
        return {
            "version": "1.0",
            "truncation": None,
            "padding": None,
            "added_tokens": [added(i, s) for i, s in enumerate(SPECIALS)],
            "normalizer": None,
            "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
            "post_processor": {
                "type": "TemplateProcessing",
                "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}}, bos, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [BOS], "tokens": ["<s>"]}},
            },
            "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
            "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                      "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                      "vocab": self.vocab, "merges": [f"{a} {b}" for a, b in self.merges]},
        }

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json(), f, ensure_ascii=False, indent=1)

    @staticmethod
    def load(path):
        with open(path, encoding="utf-8") as f:
            merges = json.load(f)["model"]["merges"]
        return Tokenizer([tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in merges])
