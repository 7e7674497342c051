"""The DPO steps DpoStepBench ran, in PyTorch eager (Debian's 1.13 + OpenBLAS, 2 threads).

Usage: bench_torch_dpo.py OUT_DIR, where DpoStepBench wrote the policy's initial weights
(model.safetensors), every step's rows and pairs (batches.json) and its own lines (results.txt,
for the learning rate of each step and the comparison printed at the end).

Each step is what policy-trainer's DPO step does: one teacher-forced pass of the policy over every
distinct completion of 8 prompts (rows of prompt + response, one pass per length bucket as DJL
cut them, right-padded to the bucket's longest), each row's response
log-probability summed over its response tokens, the sigmoid loss with beta on the log-ratios to
the frozen reference (scored once, before the steps) plus RPO's term (rpoAlpha times the chosen
response's negative log-likelihood per token, as the stage's defaults have it), backward, gradient
clipping and AdamW
(betas 0.9 / 0.95, decay on matrices only). The reference's scoring of every batch is timed
separately, as the trainer does it once per run.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from gpt_torch import Gpt, load_djl, matmul_peak_gflops, token_logprobs

torch.set_num_threads(2)


def padded(prompts, responses, pad):
    """(R, W) tokens right-padded with pad and (R, W-1) mask of response actions."""
    rows = [p + r for p, r in zip(prompts, responses)]
    width = max(len(r) for r in rows)
    tokens = torch.full((len(rows), width), pad, dtype=torch.long)
    mask = torch.zeros(len(rows), width - 1)
    for b, (p, r) in enumerate(zip(prompts, responses)):
        tokens[b, : len(p) + len(r)] = torch.tensor(p + r)
        # Response token i is emitted from the state after token P - 1 + i.
        mask[b, len(p) - 1 : len(p) - 1 + len(r)] = 1
    return tokens, mask, len(rows) * (width - 1)


def tensors(step, pad):
    """The step's rows in DJL's length buckets (one pass each), padded per bucket, and the pairs."""
    rows = [p + r for p, r in zip(step["prompts"], step["responses"])]
    buckets = step.get("buckets") or [list(range(len(rows)))]
    passes, positions = [], 0
    for bucket in buckets:
        tokens, mask, n = padded([step["prompts"][i] for i in bucket],
                                 [step["responses"][i] for i in bucket], pad)
        passes.append((tokens, mask))
        positions += n
    # Each row's place in the buckets' concatenation, to gather back into the rows' order.
    place = [0] * len(rows)
    for k, i in enumerate(i for bucket in buckets for i in bucket):
        place[i] = k
    return {
        "passes": passes,
        "place": torch.tensor(place),
        "chosen": torch.tensor(step["chosen"]),
        "rejected": torch.tensor(step["rejected"]),
        "lengths": torch.tensor([float(len(r)) for r in step["responses"]]),
        "real": sum(len(r) for r in rows),
        "padded": positions,
    }


def sequence_logprobs(model, batch):
    out = []
    for tokens, mask in batch["passes"]:
        logits, _ = model(tokens[:, :-1])  # (Rb, W-1, V)
        out.append((token_logprobs(logits, tokens[:, 1:]) * mask).sum(1))  # (Rb)
    return torch.cat(out)[batch["place"]]  # (R)


def dpo_loss(policy_lp, reference_lp, batch, beta, smoothing, rpo_alpha):
    ratio = policy_lp - reference_lp  # (R)
    h = ratio[batch["chosen"]] - ratio[batch["rejected"]]  # (P)
    per_pair = (1 - smoothing) * F.softplus(-beta * h) + smoothing * F.softplus(beta * h)
    if rpo_alpha > 0:
        # RPO: alpha times the chosen response's negative log-likelihood per token.
        chosen = batch["chosen"]
        per_pair = per_pair - rpo_alpha * policy_lp[chosen] / batch["lengths"][chosen]
    return per_pair.mean()


def djl_lines(path):
    steps, phases, scalars = {}, {}, {}
    for line in open(path):
        p = line.split()
        if len(p) > 3 and p[0] == "djl" and p[1] in ("step", "phases"):
            row = {p[i]: float(p[i + 1]) for i in range(3, len(p) - 1, 2)}
            (steps if p[1] == "step" else phases)[int(p[2])] = row
        elif len(p) >= 3 and p[0] == "djl":
            scalars[p[1]] = float(p[2])
    return steps, phases, scalars


def main():
    out = sys.argv[1]
    data = json.load(open(out + "/batches.json"))
    if data["lossType"] != "SIGMOID":
        raise SystemExit("this loop implements the sigmoid loss only, not " + data["lossType"])
    djl_steps, djl_phases, djl = djl_lines(out + "/results.txt")
    peak = matmul_peak_gflops()
    print("torch peak_gflops %.1f" % peak)
    policy, reference = Gpt(), Gpt()
    load_djl(policy, out + "/model.safetensors")
    reference.load_state_dict(policy.state_dict())
    params = sum(p.numel() for p in policy.parameters())
    print("torch params %d" % params)
    batches = [tensors(s, data["padId"]) for s in data["steps"]]

    t0 = time.perf_counter()
    with torch.no_grad():
        ref_lp = [sequence_logprobs(reference, b) for b in batches]
    ref_s = (time.perf_counter() - t0) / len(batches)
    print("torch reference_pass_s %.3f batches %d" % (ref_s, len(batches)))
    ref_diff = max((lp - torch.tensor(s["reference"])).abs().max().item()
                   for lp, s in zip(ref_lp, data["steps"]))

    decay = [p for p in policy.parameters() if p.dim() >= 2]
    rest = [p for p in policy.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": data["weightDecay"]}, {"params": rest, "weight_decay": 0}],
        betas=(0.9, 0.95), eps=1e-8)
    opt.zero_grad(set_to_none=False)
    rows = []
    for k, (b, rlp) in enumerate(zip(batches, ref_lp), start=1):
        for g in opt.param_groups:
            g["lr"] = djl_steps[k]["lr"]
        t0 = time.perf_counter()
        lp = sequence_logprobs(policy, b)
        loss = dpo_loss(lp, rlp, b, data["beta"], data["labelSmoothing"], data.get("rpoAlpha", 0))
        t1 = time.perf_counter()
        loss.backward()
        t2 = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(policy.parameters(), data["gradClip"])
        opt.step()
        opt.zero_grad(set_to_none=False)
        t3 = time.perf_counter()
        chosen = lp[b["chosen"]].mean().item()
        rejected = lp[b["rejected"]].mean().item()
        rows.append({"step_s": t3 - t0, "forward_s": t1 - t0, "backward_s": t2 - t1,
                     "optimizer_s": t3 - t2, "tokens": b["real"], "padded": b["padded"]})
        print("torch step %d step_s %.3f tokens %d padded_positions %d loss %.6f"
              " logp_chosen %.4f logp_rejected %.4f forward_s %.3f backward_s %.3f optimizer_s %.3f"
              % (k, t3 - t0, b["real"], b["padded"], loss.item(), chosen, rejected,
                 t1 - t0, t2 - t1, t3 - t2))
        rows[-1].update(loss=loss.item(), logp_chosen=chosen, logp_rejected=rejected)

    compare(djl_steps, djl_phases, djl, rows, peak, params, ref_s, ref_diff)


def compare(djl_steps, djl_phases, djl, torch_rows, torch_peak, params, ref_s, ref_diff):
    """Both sides over the steps after the first (warm-up), and their agreement on the numbers."""
    print("== comparison (steps 2..%d; step 1 is warm-up)" % len(torch_rows))
    d_rows = [djl_steps[k] for k in sorted(djl_steps)][1:]
    t_rows = torch_rows[1:]
    machine_peak = max(djl["peak_gflops"], torch_peak)
    print("fp32 1024x1024 matmul peak: djl %.1f, torch %.1f GFLOP/s (share below: of %.1f)"
          % (djl["peak_gflops"], torch_peak, machine_peak))
    tokens = sum(r["tokens"] for r in t_rows)
    padded = sum(r["padded"] for r in t_rows)
    d_s = sum(r["step_s"] for r in d_rows)
    t_s = sum(r["step_s"] for r in t_rows)
    print("%-34s %10s %10s %8s" % ("per DPO step", "DJL", "PyTorch", "speed-up"))
    print("%-34s %10.3f %10.3f %7.2fx" % ("step (s, mean)", d_s / len(d_rows), t_s / len(t_rows),
                                          t_s / d_s))
    print("%-34s %10.1f %10.1f %7.2fx" % ("tokens/s (real, unpadded)", tokens / d_s, tokens / t_s,
                                          t_s / d_s))
    d_ph = [djl_phases[k] for k in sorted(djl_phases)][1:]
    for key in ["forward_s", "backward_s", "optimizer_s"]:
        d, t = statistics.median(r[key] for r in d_ph), statistics.median(r[key] for r in t_rows)
        print("%-34s %10.3f %10.3f %7.2fx" % (key[:-2] + " (s, median)", d, t, t / d))
    d = djl["reference_pass_s"]
    print("%-34s %10.3f %10.3f %7.2fx" % ("reference pass per batch (s)", d, ref_s, ref_s / d))
    for name, secs in [("djl", d_s), ("torch", t_s)]:
        # 6 N FLOPs per token (forward 2N, backward 4N), attention excluded: a lower bound.
        real = 6 * params * tokens / secs / 1e9
        work = 6 * params * padded / secs / 1e9
        print("%s step: %.1f GFLOP/s on real tokens = %.0f%% of peak; %.1f GFLOP/s on padded"
              " positions = %.0f%%" % (name, real, 100 * real / machine_peak, work,
                                       100 * work / machine_peak))
    print("rows padded to their length bucket's longest: %.0f%% of the computed positions are real"
          " tokens" % (100 * tokens / padded))
    first_d, first_t = djl_steps[min(djl_steps)], torch_rows[0]
    print("step 1 logp chosen / rejected: djl %.4f / %.4f, torch %.4f / %.4f"
          % (first_d["logp_chosen"], first_d["logp_rejected"], first_t["logp_chosen"],
             first_t["logp_rejected"]))
    print("reference log-probabilities, largest difference over all rows: %.2g" % ref_diff)
    print("loss per step (djl / torch / |difference|): " + "; ".join(
        "%d: %.5f / %.5f / %.1g" % (k, djl_steps[k]["loss"], r["loss"],
                                    abs(djl_steps[k]["loss"] - r["loss"]))
        for k, r in zip(sorted(djl_steps), torch_rows)))


main()
