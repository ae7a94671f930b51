#!/usr/bin/env python3
"""A shakespeare-char training step in PyTorch eager, for the device bundle's speed check (run.sh, check c).

nanoGPT's model (Karpathy's model.py: pre-norm blocks, bias-free LayerNorm and Linear, GELU MLP, tied head,
scaled_dot_product_attention) at nanolab's shakespeare-char preset: 6 layers, 6 heads, 384 wide, block 256, batch 64,
dropout 0.2, AdamW (lr 1e-3, betas 0.9/0.99, weight decay 0.1 on matrices), gradient clipping at 1.0. float32 with
TF32 off, as nanolab computes in float32 without tensor cores. Prints "torch ms/step X" (the median of the timed steps,
each synchronised) and "torch device NAME".
"""
import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
from torch.nn import functional as F


class Block(nn.Module):
    def __init__(self, c, heads, dropout):
        super().__init__()
        self.ln_1 = nn.LayerNorm(c, bias=False)
        self.c_attn = nn.Linear(c, 3 * c, bias=False)
        self.c_proj = nn.Linear(c, c, bias=False)
        self.ln_2 = nn.LayerNorm(c, bias=False)
        self.c_fc = nn.Linear(c, 4 * c, bias=False)
        self.mlp_proj = nn.Linear(4 * c, c, bias=False)
        self.heads, self.dropout = heads, dropout
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0, is_causal=True)
        x = x + self.drop(self.c_proj(y.transpose(1, 2).contiguous().view(b, t, c)))
        return x + self.drop(self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)))))


class GPT(nn.Module):
    def __init__(self, vocab, block, layers, heads, c, dropout):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(block, c)
        self.drop = nn.Dropout(dropout)
        self.h = nn.ModuleList(Block(c, heads, dropout) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c, bias=False)
        self.lm_head = nn.Linear(c, vocab, bias=False)
        self.wte.weight = self.lm_head.weight
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("c_proj.weight", "mlp_proj.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets):
        pos = torch.arange(idx.shape[1], device=idx.device)
        x = self.drop(self.wte(idx) + self.wpe(pos))
        for blk in self.h:
            x = blk(x)
        logits = self.lm_head(self.ln_f(x))
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--vocab", type=int, default=65)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--block", type=int, default=256)
    ap.add_argument("--layers", type=int, default=6)
    ap.add_argument("--heads", type=int, default=6)
    ap.add_argument("--embd", type=int, default=384)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    a = ap.parse_args()
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.manual_seed(0)
    model = GPT(a.vocab, a.block, a.layers, a.heads, a.embd, a.dropout).to(dev)
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": rest, "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99))
    times = []
    for step in range(a.warmup + a.steps):
        x = torch.randint(a.vocab, (a.batch, a.block), device=dev)
        y = torch.randint(a.vocab, (a.batch, a.block), device=dev)
        if dev == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        loss.item()
        if dev == "cuda":
            torch.cuda.synchronize()
        if step >= a.warmup:
            times.append((time.perf_counter() - t0) * 1e3)
    name = torch.cuda.get_device_name() if dev == "cuda" else "cpu"
    print(f"torch ms/step {statistics.median(times):.2f} (median of {len(times)}; min {min(times):.2f})")
    print(f"torch device {name}, torch {torch.__version__}, float32 (TF32 off)")


if __name__ == "__main__":
    main()
