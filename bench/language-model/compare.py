"""Prints the DJL vs PyTorch generation table from the two result files."""
import json
import sys

out = sys.argv[1]
djl_rows = {(r["shape"], r["batch"]): r for r in json.load(open(out + "/djl.json"))}
torch_rows = {(r["shape"], r["batch"]): r for r in json.load(open(out + "/torch.json"))}
djl = {k: r["tokens_per_s"] for k, r in djl_rows.items()}
torch = {k: r["tokens_per_s"] for k, r in torch_rows.items()}
print("%-11s %5s %12s %12s %7s %s" % ("shape", "batch", "DJL tok/s", "torch tok/s", "ratio",
                                       "same greedy tokens"))
for key in djl:
    same = djl_rows[key]["last_token"] == torch_rows[key]["last_token"]
    print("%-11s %5d %12.1f %12.1f %6.2fx %s" % (key[0], key[1], djl[key], torch[key],
                                                 djl[key] / torch[key], "yes" if same else "NO"))
for shape in sorted({k[0] for k in djl}):
    print("%s: DJL n=8 / batch 1 throughput = %.2fx" % (shape, djl[(shape, 8)] / djl[(shape, 1)]))
