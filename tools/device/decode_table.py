#!/usr/bin/env python3
"""The decode figures #4 asks for, from gpu-check's JMH JSON and hf_reference.py's hf-bench.json:
tokens/s per batch with and without CUDA graphs, transformers' tokens/s on the same shape, and at
batch 1 the bandwidth achieved (weight bytes read per step / step time) against the copy bandwidth.

Usage: decode_table.py decode-bench.json [hf-bench.json]
"""
import json
import os
import sys

# Weight bytes a decode step reads, by model spec: parameters x bytes per weight on the device.
PARAMETERS = {"random:llama-1b": 1_235_814_400, "random:llama-110m": 134_105_856}


def main():
    try:
        runs = json.load(open(sys.argv[1]))
    except (OSError, ValueError) as e:
        print("no benchmark results in %s (%s)" % (sys.argv[1], e))
        return
    hf = {}
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        hf = json.load(open(sys.argv[2]))
    hf_tps = {r["batch"]: r["tokens_per_s"] for r in hf.get("decode", [])}
    copy = hf.get("copy_gb_per_s")
    table = {}
    for r in runs:
        p = r["params"]
        ms = r["primaryMetric"]["score"]
        key = (p.get("backend"), p.get("model"), int(p.get("context", 0)), int(p["batch"]))
        table.setdefault(key, {})[p.get("graphs", "true")] = ms
    print("backend model context batch | ms/step graphs | tokens/s graphs | ms/step no graphs | tokens/s no graphs | "
          "transformers tokens/s | vs transformers | batch-1 bandwidth")
    for (backend, model, context, batch), by in sorted(table.items()):
        g, n = by.get("true"), by.get("false")
        row = [backend, model, str(context), str(batch)]
        row += ["%.3f" % g, "%.0f" % (batch / g * 1e3)] if g else ["-", "-"]
        row += ["%.3f" % n, "%.0f" % (batch / n * 1e3)] if n else ["-", "-"]
        best = min(x for x in (g, n) if x)
        ref = hf_tps.get(batch) if model == "random:llama-1b:BF16" else None
        row += ["%.0f" % ref, "%.2fx" % (batch / best * 1e3 / ref)] if ref else ["-", "-"]
        base = model.rsplit(":", 1)[0]
        if batch == 1 and base in PARAMETERS and model.endswith("BF16"):
            gbs = PARAMETERS[base] * 2 / (best / 1e3) / 1e9
            row.append("%.0f GB/s%s" % (gbs, " = %.0f%% of the copy's %.0f GB/s" % (100 * gbs / copy, copy) if copy else ""))
        else:
            row.append("-")
        print(" | ".join(row))


if __name__ == "__main__":
    main()
