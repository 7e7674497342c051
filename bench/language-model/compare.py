"""Prints the DJL vs PyTorch generation table from the result files of every round."""
import glob
import json
import statistics
import sys

out = sys.argv[1]


def rows(side):
    """(shape, batch) -> every repetition's tokens/s over all rounds, and the last greedy token."""
    merged = {}
    for path in sorted(glob.glob("%s/%s-*.json" % (out, side))):
        for r in json.load(open(path)):
            rates, _ = merged.setdefault((r["shape"], r["batch"]), ([], r["last_token"]))
            rates.extend(r["rates"])
    return merged


djl, torch = rows("djl"), rows("torch")
rounds = len(glob.glob(out + "/djl-*.json"))
print("%d round(s); the median of each side's repetitions, its best in brackets" % rounds)
print("%-11s %5s %20s %20s %16s %9s %s" % ("shape", "batch", "DJL tok/s", "torch tok/s", "ratio",
                                          "reps", "same greedy tokens"))
median = {}
for key, (d_rates, d_last) in djl.items():
    t_rates, t_last = torch[key]
    d_best, t_best = max(d_rates), max(t_rates)
    median[key] = statistics.median(d_rates)
    t_median = statistics.median(t_rates)
    print("%-11s %5d %9.1f (%8.1f) %9.1f (%8.1f) %6.2fx (%5.2fx) %4d/%-4d %s" % (
        key[0], key[1], median[key], d_best, t_median, t_best, median[key] / t_median,
        d_best / t_best, len(d_rates), len(t_rates), "yes" if d_last == t_last else "NO"))
for shape in sorted({k[0] for k in djl}):
    print("%s: DJL n=8 / batch 1 throughput = %.2fx (medians)"
          % (shape, median[(shape, 8)] / median[(shape, 1)]))
