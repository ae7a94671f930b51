#!/usr/bin/env python3
"""The PyTorch peer of `nanolab bench train`: nanoGPT's GPT (model.py, rewritten here in its spirit) trained on random
token ids, whole training steps timed: forward, backward, gradient clipping, AdamW step, zero_grad.

Prints the median ms/step over the timed steps and the process's peak resident memory (ru_maxrss); with --json, one
JSON line. A benchmark, not a test: nothing in CI runs it. benchmarks/pytorch-peer/run drives it beside nanolab.

usage: python nanogpt_step.py [--n-layer 4 --n-head 4 --n-embd 128 --block-size 64 --batch 12 --vocab 65 --no-bias]
                              [--steps 10 --warmup 3 --compile none|default|max-autotune-no-cudagraphs --threads N --json]
"""
import argparse
import json
import math
import sys

import torch
import torch.nn as nn
from torch.nn import functional as F

from peer_common import (add_shape_args, add_timing_args, check_timing_args, optimizer_impl, print_timing,
                         time_steps, timing_fields)


# ---------------------------------------------------------------------------------------------------------------------
# The model: nanoGPT's model.py GPT (LayerNorm with optional bias, causal self-attention through
# scaled_dot_product_attention, GELU MLP, tied wte/lm_head, GPT-2 init with the scaled residual projections).
# One deliberate difference: the MLP's GELU is the tanh approximation (GPT-2's, and nanolab's); nanoGPT uses the exact
# erf GELU (nn.GELU()).
# ---------------------------------------------------------------------------------------------------------------------

class LayerNorm(nn.Module):
    """LayerNorm with an optional bias (PyTorch's nn.LayerNorm has no bias=False before 2.1)."""

    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, dropout, bias):
        super().__init__()
        assert n_embd % n_head == 0, "n_embd must be divisible by n_head"
        self.c_attn = nn.Linear(n_embd, 3 * n_embd, bias=bias)  # query, key, value for all heads in one matmul
        self.c_proj = nn.Linear(n_embd, n_embd, bias=bias)
        self.resid_dropout = nn.Dropout(dropout)
        self.n_head = n_head
        self.n_embd = n_embd
        self.dropout = dropout

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)  # (B, nh, T, hs)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=self.dropout if self.training else 0,
                                           is_causal=True)
        y = y.transpose(1, 2).contiguous().view(B, T, C)  # re-assemble all head outputs side by side
        return self.resid_dropout(self.c_proj(y))


class MLP(nn.Module):
    def __init__(self, n_embd, dropout, bias):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=bias)
        self.gelu = nn.GELU(approximate="tanh")
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=bias)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))


class Block(nn.Module):
    def __init__(self, n_embd, n_head, dropout, bias):
        super().__init__()
        self.ln_1 = LayerNorm(n_embd, bias=bias)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout, bias)
        self.ln_2 = LayerNorm(n_embd, bias=bias)
        self.mlp = MLP(n_embd, dropout, bias)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, dropout=0.0, bias=True):
        super().__init__()
        self.block_size = block_size
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(vocab_size, n_embd),
            wpe=nn.Embedding(block_size, n_embd),
            drop=nn.Dropout(dropout),
            h=nn.ModuleList([Block(n_embd, n_head, dropout, bias) for _ in range(n_layer)]),
            ln_f=LayerNorm(n_embd, bias=bias),
        ))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight  # weight tying
        self.apply(self._init_weights)
        # GPT-2's scaled init of the residual projections
        for pn, p in self.named_parameters():
            if pn.endswith("c_proj.weight"):
                torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * n_layer))

    def get_num_params(self, non_embedding=True):
        """Parameters, less the position embeddings by default (nanoGPT's count, and nanolab's "params")."""
        n = sum(p.numel() for p in self.parameters())
        if non_embedding:
            n -= self.transformer.wpe.weight.numel()
        return n

    @staticmethod
    def _init_weights(module):
        if isinstance(module, nn.Linear):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if module.bias is not None:
                torch.nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(self, idx, targets):
        b, t = idx.size()
        assert t <= self.block_size, f"sequence of {t} tokens, block_size is only {self.block_size}"
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
        x = self.transformer.drop(self.transformer.wte(idx) + self.transformer.wpe(pos))
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        logits = self.lm_head(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss

    def configure_optimizers(self, weight_decay, learning_rate, betas, impl):
        """nanoGPT's AdamW: weight decay on the 2-D tensors (matmul weights, embeddings), none on gains and biases."""
        params = [p for p in self.parameters() if p.requires_grad]
        decay = [p for p in params if p.dim() >= 2]
        no_decay = [p for p in params if p.dim() < 2]
        groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
        extra = optimizer_impl(impl)
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas, **extra)


# ---------------------------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_shape_args(p, n_layer=4, n_head=4, n_embd=128, block_size=64, batch=12, vocab=65)
    p.add_argument("--bias", action=argparse.BooleanOptionalAction, default=False,
                   help="biases in linear layers and layer norms")
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--beta1", type=float, default=0.9)
    p.add_argument("--beta2", type=float, default=0.99)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--grad-clip", type=float, default=1.0, help="clip to this global norm; 0 = no clipping")
    p.add_argument("--adamw", choices=["default", "loop", "foreach", "fused"], default="default",
                   help="AdamW implementation; default = torch's own choice")
    add_timing_args(p)
    a = p.parse_args(argv)
    check_timing_args(p, a)
    return a


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    model = GPT(a.vocab, a.block_size, a.n_layer, a.n_head, a.n_embd, a.dropout, a.bias)
    model.train()
    optimizer = model.configure_optimizers(a.weight_decay, a.lr, (a.beta1, a.beta2), a.adamw)
    fwd = model
    if a.compile != "none":
        fwd = torch.compile(model, mode=None if a.compile == "default" else a.compile)
    params = [p for p in model.parameters()]
    gen = torch.Generator().manual_seed(a.seed)
    shape = (a.batch, a.block_size)

    def step():
        # Random ids drawn inside the step, as nanolab's bench train draws its batches inside TrainStep.run.
        for _ in range(a.grad_accum):
            x = torch.randint(a.vocab, shape, generator=gen)
            y = torch.randint(a.vocab, shape, generator=gen)
            _, loss = fwd(x, y)
            (loss / a.grad_accum).backward()
        if a.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(params, a.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return loss

    warm_ms, ms, loss = time_steps(step, a.warmup, a.steps)
    row = {
        "impl": "pytorch",
        "compile": a.compile,
        "label": a.label,
        "params": model.get_num_params(),
        "n_layer": a.n_layer, "n_head": a.n_head, "n_embd": a.n_embd, "block_size": a.block_size,
        "batch_size": a.batch, "gradient_accumulation_steps": a.grad_accum, "vocab": a.vocab, "bias": a.bias,
        "dropout": a.dropout,
        "adamw": a.adamw,
        **timing_fields(a, warm_ms, ms, loss, a.batch * a.block_size * a.grad_accum),
    }
    if a.json:
        print(json.dumps(row), flush=True)
    else:
        print(f"nanoGPT GPT {row['params'] / 1e6:.2f}M params, {a.batch}x{a.block_size}x{a.grad_accum} tokens/step, "
              f"vocab {a.vocab}, compile={a.compile}, {row['threads']} threads, torch {torch.__version__}")
        print_timing(row, a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
