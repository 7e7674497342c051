"""Reads the DJL and PyTorch lines, prints medians (first step dropped as warm-up) and ratios."""
import statistics, sys

rows = {"djl": [], "torch": []}
peak, params, optimizer = {}, {}, {}
for line in open(sys.argv[1]):
    p = line.split()
    if len(p) > 2 and p[0] in rows and p[1] == "step":
        rows[p[0]].append({p[i]: float(p[i + 1]) for i in range(3, len(p) - 1, 2)})
    elif len(p) == 3 and p[1] == "peak_gflops":
        peak[p[0]] = float(p[2])
    elif len(p) == 3 and p[1] == "params":
        params[p[0]] = int(p[2])
    elif len(p) == 3 and p[1] == "optimizer_step_ms":
        optimizer[p[0]] = float(p[2])


def med(name, key):
    r = rows[name][1:] or rows[name]
    return statistics.median(x[key] for x in r)


machine_peak = max(peak.values())
print("fp32 1024x1024 matmul peak: " + ", ".join("%s %.1f GFLOP/s" % kv for kv in peak.items()))
print("%-20s %10s %10s %8s" % ("per PPO step", "DJL", "PyTorch", "speed-up"))
for key in ["generation_s", "scoring_s", "training_s"]:
    d, t = med("djl", key), med("torch", key)
    print("%-20s %10.3f %10.3f %7.2fx" % (key, d, t, t / d))
if len(optimizer) == 2:
    d, t = optimizer["djl"], optimizer["torch"]
    print("%-20s %10.1f %10.1f %7.2fx" % ("AdamW step (ms)", d, t, t / d))
d, t = med("djl", "train_tokens_per_s"), med("torch", "train_tokens_per_s")
print("%-20s %10.1f %10.1f %7.2fx" % ("train tokens/s", d, t, d / t))
for name, tps in [("djl", d), ("torch", t)]:
    # 6 N FLOPs per trained token (forward 2N + backward 4N), attention excluded: a lower bound.
    flops = 6 * params[name] * tps
    print("%s training: %.1f GFLOP/s = %.0f%% of the %.1f GFLOP/s peak"
          % (name, flops / 1e9, 100 * flops / 1e9 / machine_peak, machine_peak))
