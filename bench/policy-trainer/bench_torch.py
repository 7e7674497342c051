"""The same PPO step as PpoStepBench in PyTorch eager (Debian's 1.13 + OpenBLAS, 2 threads).

6 layers, 6 heads, 384 wide, context 128, vocabulary 262 (byte tokenizer size), 16 rollouts of
up to 32 new tokens, KV-cached batched sampling, policy/reference/value scoring, one epoch of
two minibatches of 8 with the clipped PPO loss and AdamW. Attention is written out (no SDPA in 1.13).

Given DJL's results file (second argument), each step takes the shapes of DJL's step of the same
number: prompts as long as DJL's longest prompt of that batch (which sets the padded width of all
its passes), and DJL's count of real (unpadded) tokens for training tokens/s, so both sides count
the same tokens for the same work.
"""
import sys, time
import torch

from gpt_torch import L, Gpt, matmul_peak_gflops, token_logprobs

torch.set_num_threads(2)
torch.manual_seed(1)
B, NEW, MB = 16, 32, 8


def generate(model, prompts):
    caches = [[None, None] for _ in range(L)]
    with torch.no_grad():
        logits, _ = model(prompts, caches)
        out, past = [], prompts.shape[1]
        for _ in range(NEW):
            nxt = torch.multinomial(logits[:, -1].softmax(-1), 1)
            out.append(nxt)
            logits, _ = model(nxt, caches, past)
            past += 1
    return torch.cat([prompts] + out, 1)


def logprobs(logits, seq):
    return token_logprobs(logits, seq[:, 1:])


def djl_shapes(path):
    """Per DJL step: (prompt width, real tokens trained per step); empty without DJL's file."""
    shapes = {}
    for line in open(path):
        p = line.split()
        if len(p) > 2 and p[:2] == ["djl", "step"]:
            m = {p[i]: float(p[i + 1]) for i in range(3, len(p) - 1, 2)}
            real = B * (m["prompt_length"] + m["response_length"])
            shapes[int(p[2])] = (int(m["prompt_length_max"]), real)
    return shapes


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    shapes = djl_shapes(sys.argv[2]) if len(sys.argv) > 2 else {}
    print("torch peak_gflops %.1f" % matmul_peak_gflops())
    policy, ref = Gpt(value_head=True), Gpt(value_head=True)
    ref.load_state_dict(policy.state_dict())
    opt = torch.optim.AdamW(policy.parameters(), lr=1e-5, betas=(0.9, 0.95), weight_decay=0)
    print("torch params %d" % sum(p.numel() for p in ref.parameters()))
    for step in range(1, steps + 1):
        # Without DJL's shapes: a demo-world question in the chat template is ~20-40 bytes.
        P, real_tokens = shapes.get(step, (32, None))
        prompts = torch.randint(0, 256, (B, P))
        t0 = time.perf_counter()
        seq = generate(policy, prompts)
        t1 = time.perf_counter()
        with torch.no_grad():
            lg, values = policy(seq[:, :-1])
            old = logprobs(lg, seq)
            ref_lg, _ = ref(seq[:, :-1])
            ref_lp = logprobs(ref_lg, seq)
            ent = -(lg.softmax(-1) * lg.log_softmax(-1)).sum(-1)
        score = (seq[:, P:] == ord("a")).float().mean(1)
        mask = torch.zeros_like(old)
        mask[:, P - 1:] = 1
        rewards = -0.05 * (old - ref_lp) * mask
        rewards[:, -1] += score
        adv = torch.zeros_like(old)
        last = 0
        for t in reversed(range(P - 1, old.shape[1])):
            nv = values[:, t + 1] if t + 1 < old.shape[1] else 0
            delta = rewards[:, t] + nv - values[:, t]
            last = delta + 0.95 * last
            adv[:, t] = last
        ret = adv + values
        adv = (adv - adv[:, P - 1:].mean()) / (adv[:, P - 1:].std() + 1e-8)
        t2 = time.perf_counter()
        tokens = 0
        for idx in torch.randperm(B).split(MB):
            s = seq[idx]
            lg, v = policy(s[:, :-1])
            lp = logprobs(lg, s)
            ratio = (lp - old[idx]).exp()
            pg = torch.max(-adv[idx] * ratio, -adv[idx] * ratio.clamp(0.8, 1.2))
            vc = values[idx] + (v - values[idx]).clamp(-0.2, 0.2)
            vf = 0.5 * torch.max((v - ret[idx]) ** 2, (vc - ret[idx]) ** 2)
            m = mask[idx]
            loss = ((pg + 0.1 * vf) * m).sum() / m.sum()
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(policy.parameters(), 1.0)
            opt.step()
            tokens += s.numel()
        t3 = time.perf_counter()
        tokens = real_tokens or tokens
        print("torch step %d generation_s %.3f scoring_s %.3f training_s %.3f"
              " train_tokens_per_s %.1f response_length %.1f prompt_length_max %d"
              % (step, t1 - t0, t2 - t1, t3 - t2, tokens / (t3 - t2), NEW, P))
    print("torch optimizer_step_ms %.1f" % optimizer_step_ms(policy))


def optimizer_step_ms(model):
    """One AdamW step over every parameter (weight decay 0.1, gradients zeroed after), best of 5."""
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, betas=(0.9, 0.95), weight_decay=0.1)
    best = float("inf")
    for _ in range(5):
        sum((p * p).sum() for p in model.parameters()).backward()
        t0 = time.perf_counter()
        opt.step()
        opt.zero_grad(set_to_none=False)
        best = min(best, (time.perf_counter() - t0) * 1e3)
    return best


main()
