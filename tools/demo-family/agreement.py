#!/usr/bin/env python3
"""Compares the Java engine's greedy answers with PyTorch's for one demo model.

  ./cascade eval --model demo-base --dataset models/demo/eval.jsonl --output /tmp/java-base.jsonl
  python3 tools/demo-family/agreement.py models/demo/base/greedy_answers.jsonl /tmp/java-base.jsonl

Prints the agreement rate (same completion text) and the items that differ.
"""
import json
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return {row["id"]: row for row in map(json.loads, filter(str.strip, f))}


def main():
    torch_rows, java_rows = read(sys.argv[1]), read(sys.argv[2])
    ids = sorted(set(torch_rows) & set(java_rows))
    if not ids:
        sys.exit("no common item ids")
    differ = [i for i in ids if torch_rows[i]["text"] != java_rows[i]["completion"]]
    print(f"{len(ids) - len(differ)}/{len(ids)} agree ({100 * (1 - len(differ) / len(ids)):.2f}%)")
    for i in differ[:20]:
        print(f"  item {i}: torch {torch_rows[i]['text']!r} java {java_rows[i]['completion']!r}")


if __name__ == "__main__":
    main()
