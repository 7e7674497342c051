"""PyTorch anchor for the DJL generation benchmark.

Loads the weights GenerationBench exported (safetensors, nanoGPT names, Linear (out, in)
layout) into a plain GPT-2 forward pass written out with torch 1.13 ops (no
scaled_dot_product_attention there), and runs the same greedy KV-cache decode loop.
"""
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        begin, end = meta["data_offsets"]
        arr = np.frombuffer(data[begin:end], dtype="<f4").reshape(meta["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


class Gpt:
    def __init__(self, w, cfg):
        self.w, self.cfg = w, cfg
        self.nh = cfg["nHead"]
        self.c = cfg["nEmbd"]
        # The DJL config names the MLP's GELU: exact ("GELU") or GPT-2's tanh form.
        self.gelu = "tanh" if cfg.get("activation", "GELU_TANH") == "GELU_TANH" else "none"

    def ln(self, x, name):
        return F.layer_norm(x, (self.c,), self.w[name + ".weight"], self.w[name + ".bias"], 1e-5)

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def forward(self, idx, cache, past):
        b, t = idx.shape
        hs = self.c // self.nh
        pos = torch.arange(past, past + t)
        x = self.w["transformer.wte.weight"][idx] + self.w["transformer.wpe.weight"][pos]
        for l in range(self.cfg["nLayer"]):
            p = "transformer.h.%d." % l
            q, k, v = self.lin(self.ln(x, p + "ln_1"), p + "attn.c_attn").split(self.c, dim=2)
            q = q.view(b, t, self.nh, hs).transpose(1, 2)
            k = k.view(b, t, self.nh, hs).transpose(1, 2)
            v = v.view(b, t, self.nh, hs).transpose(1, 2)
            if cache[l] is not None:
                k = torch.cat([cache[l][0], k], dim=2)
                v = torch.cat([cache[l][1], v], dim=2)
            cache[l] = (k, v)
            att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hs))
            if t > 1:
                mask = torch.ones(t, past + t).tril(diagonal=past) == 0
                att = att.masked_fill(mask, float("-inf"))
            y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, self.c)
            x = x + self.lin(y, p + "attn.c_proj")
            h = F.gelu(self.lin(self.ln(x, p + "ln_2"), p + "mlp.c_fc"), approximate=self.gelu)
            x = x + self.lin(h, p + "mlp.c_proj")
        x = self.ln(x, "transformer.ln_f")
        return x[:, -1, :] @ self.w["transformer.wte.weight"].t()


def decode(model, batch, prompt, new_tokens):
    idx = torch.tensor([[(i * 7 + 3) % 200 for i in range(b * prompt, (b + 1) * prompt)]
                        for b in range(batch)])
    cache = [None] * model.cfg["nLayer"]
    past = 0
    for _ in range(new_tokens):
        logits = model.forward(idx, cache, past)
        past += idx.shape[1]
        idx = logits.argmax(-1, keepdim=True)
    return idx


def main():
    out, reps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
    warm_up = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
    measure = float(sys.argv[6]) if len(sys.argv) > 6 else 3.0
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    results = []
    with torch.no_grad():
        shapes = sys.argv[4].split(",") if len(sys.argv) > 4 else ["tiny", "gpt2-small"]
        for shape in shapes:
            cfg = json.load(open("%s/%s/config.json" % (out, shape)))
            model = Gpt(read_safetensors("%s/%s/model.safetensors" % (out, shape)), cfg)
            prompt = 8
            new_tokens = min(32 if cfg["nLayer"] > 2 else 56, cfg["blockSize"] - prompt)
            for batch in [1, 8]:
                last = decode(model, batch, prompt, new_tokens)
                warm_up_end = time.perf_counter() + warm_up
                while time.perf_counter() < warm_up_end:
                    decode(model, batch, prompt, new_tokens)
                rates = []
                measure_end = time.perf_counter() + measure
                while len(rates) < reps or time.perf_counter() < measure_end:
                    t0 = time.perf_counter()
                    decode(model, batch, prompt, new_tokens)
                    rates.append(batch * new_tokens / (time.perf_counter() - t0))
                if os.environ.get("BENCH_TRACE"):
                    print(rates, file=sys.stderr)
                in_order = list(rates)
                rates.sort()
                row = {"impl": "torch", "shape": shape, "batch": batch,
                       "new_tokens": new_tokens, "tokens_per_s": rates[-1],
                       "median_tokens_per_s": rates[len(rates) // 2], "repetitions": len(rates),
                       "last_token": int(last[0, 0])}
                print(json.dumps(row), flush=True)
                row["rates"] = in_order
                results.append(row)
    json.dump(results, open("%s/%s" % (out, os.environ.get("BENCH_RESULT", "torch.json")), "w"))


if __name__ == "__main__":
    main()
