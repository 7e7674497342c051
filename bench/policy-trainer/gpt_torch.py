"""The policy network of the policy-trainer benchmarks in PyTorch 1.13 eager (Debian's + OpenBLAS).

The same GPT-2 block structure as the network library's: pre-LayerNorm residual branches, exact
GELU, tied input and output embeddings, attention written out (1.13 has no SDPA). Modules carry the
library's checkpoint names (transformer.h.0.attn.c_attn...), so DJL's safetensors load as they are
(Linear weights are (out, in) on both sides). Shared by the PPO (bench_torch.py) and DPO
(bench_torch_dpo.py) loops.
"""
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# 6 layers, 6 heads, 384 wide, context 128, vocabulary 262 (the byte tokenizer's size).
L, H, C, T, V = 6, 6, 384, 128, 262


class CausalSelfAttention(nn.Module):
    def __init__(s):
        super().__init__()
        s.c_attn, s.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)

    def forward(s, x, cache=None):
        b, t, _ = x.shape
        q, k, v = s.c_attn(x).split(C, dim=2)
        q, k, v = [z.view(b, t, H, C // H).transpose(1, 2) for z in (q, k, v)]  # (B, nh, T, hs)
        if cache is not None:
            if cache[0] is not None:
                k = torch.cat([cache[0], k], 2)
                v = torch.cat([cache[1], v], 2)
            cache[0], cache[1] = k, v
        tk = k.shape[2]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(C // H)
        mask = torch.ones(t, tk, dtype=torch.bool).tril(tk - t)
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, C)
        return s.c_proj(y)


class Mlp(nn.Module):
    def __init__(s):
        super().__init__()
        s.c_fc, s.c_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(s, x):
        return s.c_proj(F.gelu(s.c_fc(x)))


class Block(nn.Module):
    def __init__(s):
        super().__init__()
        s.ln_1, s.attn = nn.LayerNorm(C), CausalSelfAttention()
        s.ln_2, s.mlp = nn.LayerNorm(C), Mlp()

    def forward(s, x, cache=None):
        x = x + s.attn(s.ln_1(x), cache)
        return x + s.mlp(s.ln_2(x))


class Transformer(nn.Module):
    def __init__(s):
        super().__init__()
        s.wte, s.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        s.h = nn.ModuleList([Block() for _ in range(L)])
        s.ln_f = nn.LayerNorm(C)


class Gpt(nn.Module):
    """forward answers (logits, values); values is None without the value head (PPO has one)."""

    def __init__(s, value_head=False):
        super().__init__()
        s.transformer = Transformer()
        s.value = nn.Linear(C, 1) if value_head else None

    def forward(s, idx, caches=None, past=0):
        t, tr = idx.shape[1], s.transformer
        x = tr.wte(idx) + tr.wpe(torch.arange(past, past + t))
        for i, blk in enumerate(tr.h):
            x = blk(x, None if caches is None else caches[i])
        x = tr.ln_f(x)
        logits = x @ tr.wte.weight.T
        return logits, None if s.value is None else s.value(x).squeeze(-1)


def load_djl(model, path):
    """Loads a network DJL wrote as safetensors (F32, the library's names) into a Gpt."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    state = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        begin, end = meta["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype="<f4").reshape(meta["shape"])
        state[name] = torch.from_numpy(arr.copy())
    model.load_state_dict(state)  # strict: every name on both sides


def matmul_peak_gflops():
    """The machine's fp32 peak for utilisation figures: best of 5 x 10 products of 1024x1024."""
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    best = 0
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(10):
            a @ b
        best = max(best, 10 * 2 * 1024 ** 3 / (time.perf_counter() - t0) / 1e9)
    return best


def token_logprobs(logits, targets):
    """Log-probability of each next token (B, T) from logits (B, T, V)."""
    return logits.log_softmax(-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)
