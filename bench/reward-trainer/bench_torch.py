"""The reward model and loss of reward-trainer in PyTorch eager, for the throughput comparison.

Same shapes as RewardTrainerBench: a 6-layer, 384-wide, 6-head GPT (byte vocabulary 262,
context 64), 4 prompts x 4 completions of 64 tokens per step (16 rows, 24 pairs), reward read at
the last token, loss softplus(-(r_chosen - r_rejected)) weighted 1/numPairs per prompt, gradient
clipping at 1, AdamW (0.9, 0.95). torch 1.13 has no scaled_dot_product_attention: written out.
Usage: bench_torch.py [steps] [repetitions]
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(1)

N_LAYER, N_HEAD, N_EMBD, T, VOCAB = 6, 6, 384, 64, 262
PROMPTS, K = 4, 4


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(N_EMBD, 3 * N_EMBD)
        self.c_proj = nn.Linear(N_EMBD, N_EMBD)
        self.register_buffer("mask", torch.tril(torch.ones(T, T)).view(1, 1, T, T))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(N_EMBD, dim=2)
        hs = c // N_HEAD
        q = q.view(b, t, N_HEAD, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(b, t, N_HEAD, hs).transpose(1, 2)
        v = v.view(b, t, N_HEAD, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))  # (B, nh, T, T)
        att = att.masked_fill(self.mask[:, :, :t, :t] == 0, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(N_EMBD)
        self.attn = Attention()
        self.ln_2 = nn.LayerNorm(N_EMBD)
        self.c_fc = nn.Linear(N_EMBD, 4 * N_EMBD)
        self.c_proj = nn.Linear(4 * N_EMBD, N_EMBD)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))


class RewardModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, N_EMBD)
        self.wpe = nn.Embedding(T, N_EMBD)
        self.h = nn.ModuleList([Block() for _ in range(N_LAYER)])
        self.ln_f = nn.LayerNorm(N_EMBD)
        self.head = nn.Linear(N_EMBD, 1)

    def forward(self, idx, read):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        for block in self.h:
            x = block(x)
        x = self.ln_f(x)  # (B, T, C)
        return self.head(x[torch.arange(idx.shape[0]), read]).squeeze(-1)  # (B)


def batch():
    g = torch.Generator().manual_seed(1)
    rows = []
    for _ in range(PROMPTS * K):
        q = torch.randint(97, 123, (20,), generator=g)
        c = torch.randint(97, 123, (T - 26,), generator=g)
        rows.append(torch.cat([torch.tensor([256, 258]), q, torch.tensor([260, 259]), c,
                               torch.tensor([260, 261])]))
    idx = torch.stack(rows)
    read = torch.full((PROMPTS * K,), T - 1)
    chosen, rejected = [], []
    for p in range(PROMPTS):
        for a in range(K):
            for b in range(a + 1, K):
                chosen.append(p * K + a)
                rejected.append(p * K + b)
    weight = torch.full((len(chosen),), 1.0 / (K * (K - 1) // 2))
    return idx, read, torch.tensor(chosen), torch.tensor(rejected), weight


def matmul_peak(reps):
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    best = 0.0
    for r in range(reps + 1):
        t0 = time.perf_counter()
        for _ in range(10):
            a @ b
        s = time.perf_counter() - t0
        if r > 0:
            best = max(best, 10 * 2.0 * 1024 ** 3 / s)
    return best


def main():
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    peak = matmul_peak(reps)
    model = RewardModel()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.95), eps=1e-8,
                            weight_decay=0.1)
    idx, read, chosen, rejected, weight = batch()

    def step():
        r = model(idx, read)
        margins = r[chosen] - r[rejected]
        loss = (F.softplus(-margins) * weight).sum() / PROMPTS
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(2):
        step()
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        for _ in range(steps):
            step()
        best = min(best, (time.perf_counter() - t0) / steps)
    params = sum(p.numel() for p in model.parameters())
    flops = 6.0 * params * PROMPTS * K * T / best
    print(json.dumps({"impl": "torch", "version": torch.__version__, "params": params,
                      "step_s": round(best, 4), "pairs_per_s": round(len(chosen) / best, 2),
                      "model_gflops": round(flops / 1e9, 2),
                      "matmul_peak_gflops": round(peak / 1e9, 2),
                      "peak_share": round(flops / peak, 4)}))


if __name__ == "__main__":
    main()
