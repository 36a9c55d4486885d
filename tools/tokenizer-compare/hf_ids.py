#!/usr/bin/env python3
"""Prints, for each JSON string in INPUTS (one per line), the ids Hugging Face's `tokenizers`
library gives with add_special_tokens=False, space separated, one line per input.

  python3 hf_ids.py TOKENIZER_DIR INPUTS.jsonl
"""
import json
import sys

from tokenizers import Tokenizer

tok = Tokenizer.from_file(sys.argv[1] + "/tokenizer.json")
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        if line.strip():
            print(" ".join(str(i) for i in tok.encode(json.loads(line), add_special_tokens=False).ids))
