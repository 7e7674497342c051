"""Prints the DJL vs PyTorch generation table from the two result files."""
import json
import sys

out = sys.argv[1]
djl = {(r["shape"], r["batch"]): r["tokens_per_s"] for r in json.load(open(out + "/djl.json"))}
torch = {(r["shape"], r["batch"]): r["tokens_per_s"] for r in json.load(open(out + "/torch.json"))}
print("%-11s %5s %12s %12s %7s" % ("shape", "batch", "DJL tok/s", "torch tok/s", "ratio"))
for key in djl:
    print("%-11s %5d %12.1f %12.1f %6.2fx" % (key[0], key[1], djl[key], torch[key], djl[key] / torch[key]))
for shape in sorted({k[0] for k in djl}):
    print("%s: DJL n=8 / batch 1 throughput = %.2fx" % (shape, djl[(shape, 8)] / djl[(shape, 1)]))
