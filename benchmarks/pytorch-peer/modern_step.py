#!/usr/bin/env python3
"""The PyTorch twin of nanolab's modern-gpt as the speedrun-modern preset configures it (modded-nanogpt's architecture
and its Muon/Adam optimizer split), trained on random token ids, whole training steps timed: forward, backward, the
gradients' global norm, the Muon and Adam steps, zero_grad.

Prints the median ms/step over the timed steps and the process's peak resident memory (ru_maxrss); with --json, one
JSON line with the same fields as nanogpt_step.py's. A benchmark, not a test: nothing in CI runs it.
benchmarks/pytorch-peer/run drives it beside nanolab (shape speedrun-modern); modern_check.py checks it.

usage: python modern_step.py [--n-layer 6 --n-head 4 --n-embd 128 --block-size 256 --batch 8 --vocab 2048 ...]
                             [--steps 10 --warmup 3 --compile none|default|max-autotune-no-cudagraphs --threads N --json]
The defaults are speedrun-modern's; preset_shape.py prints the flags of a preset with its overrides.
"""
import argparse
import json
import math
import re
import sys

import torch
import torch.nn as nn
from torch.nn import functional as F

from peer_common import (add_shape_args, add_timing_args, check_timing_args, optimizer_impl, print_timing,
                         time_steps, timing_fields)

# The preset's param_groups (speedrun-modern.yaml), in nanolab's rule syntax: the first rule whose glob and rank fit a
# parameter's name takes it. Twin parameters carry nanolab's names, so the preset's own rules apply unchanged.
DEFAULT_PARAM_GROUPS = {
    "rules": [
        {"name": "embeddings", "match": "{embed.weight,embed.byte_embed.weight,value_embeds.*}", "lr_mult": 75,
         "weight_decay": 0},
        {"name": "hidden", "match": "{blocks.*,embed.q.*,embed.k.*,embed.v.*,embed.up.*,embed.byte_attn.*}",
         "min_rank": 2, "optimizer": "muon"},
        {"name": "head", "match": "lm_head.*", "lr_mult": 1, "weight_decay": 0},
        {"name": "scalars", "match": "*", "lr_mult": 5, "weight_decay": 0},
    ],
    "optimizers": [{"name": "muon", "lr": 0.05, "momentum": 0.95, "momentum_start": 0.85,
                    "momentum_warmup_steps": 300}],
}
# Muon.Config()'s defaults (muon.py's): what the preset leaves unset.
MUON_DEFAULTS = {"lr": 0.02, "momentum": 0.95, "nesterov": True, "ns_steps": 5, "eps": 1e-7, "weight_decay": 0.0,
                 "fallback_names": ["*wte*", "*wpe*", "*lm_head*", "*embed*"], "momentum_start": 0.85,
                 "momentum_warmup_steps": 0}

RMS_EPS = 1e-6  # nanolab's Norms.RMS_EPS


# ---------------------------------------------------------------------------------------------------------------------
# The model: nanolab's ModernGpt (plugin-models/.../models/modern) with speedrun-modern's switches, which are
# modded-nanogpt's architecture: RMS norms without a weight (embedding included), half-truncated rotary positions,
# QK-norm, attention scale 0.12, relu² MLP, zero-initialised output projections and untied head, value embeddings
# (012…012), U-net skips, x0 lambdas, per-layer sliding windows with document masks, the sigmoid logit softcap.
# Everything runs in float32, as nanolab does (modded-nanogpt runs bf16 and an fp8 head on a GPU).
# ---------------------------------------------------------------------------------------------------------------------

def rms_norm(x):
    """RMS norm over the last axis without a learned scale: x / sqrt(mean(x²) + eps), as nanolab's F.rmsNorm."""
    return F.rms_norm(x, (x.size(-1),), eps=RMS_EPS)


class Rotary(nn.Module):
    """Half-truncated RoPE (modded-nanogpt's, nanolab's RotaryTable.halfTruncated): D/4 frequencies log-spaced from 1
    to 1/base inclusive, the other D/4 channel pairs not rotated. Pairs are (j, j + D/2), rotated by pos·ω_j:
    y_j = x_j·cos + x_{j+D/2}·sin, y_{j+D/2} = −x_j·sin + x_{j+D/2}·cos (nanolab's Rotary and modded-nanogpt's)."""

    def __init__(self, head_dim, max_positions, base):
        super().__init__()
        n = head_dim // 4
        # Tables in double, then float, as nanolab computes them.
        omega = torch.tensor([1.0 if n == 1 else (1 / base) ** (j / (n - 1)) for j in range(n)], dtype=torch.float64)
        omega = torch.cat([omega, omega.new_zeros(head_dim // 2 - n)])
        angle = torch.arange(max_positions, dtype=torch.float64)[:, None] * omega[None, :]  # (T, D/2)
        self.register_buffer("cos", angle.cos().float()[:, None, :], persistent=False)  # (T, 1, D/2): heads broadcast
        self.register_buffer("sin", angle.sin().float()[:, None, :], persistent=False)

    def forward(self, x):  # x (B, T, H, D)
        t = x.size(1)
        cos, sin = self.cos[:t], self.sin[:t]
        x1, x2 = x.chunk(2, dim=-1)
        return torch.cat([x1 * cos + x2 * sin, x2 * cos - x1 * sin], dim=-1)


def hidden_init_(w, fan_in):
    """modded-nanogpt's init of a hidden matrix (nanolab's init: modded): uniform with std 0.5/√in."""
    bound = math.sqrt(3) * 0.5 / math.sqrt(fan_in)
    with torch.no_grad():
        w.uniform_(-bound, bound)


class Attention(nn.Module):
    """nanolab's ModernAttention: one packed projection to q, k, v (qkv_w); v = λ0·v + λ1·ve (lambdas); QK-norm;
    rotary; softmax at scale 0.12 under the layer's window and the document mask; the output projection (c_proj)."""

    def __init__(self, n_embd, n_head, rotary, scale):
        super().__init__()
        self.n_head, self.n_embd, self.rotary, self.scale = n_head, n_embd, rotary, scale
        self.qkv_w = nn.Parameter(torch.empty(3 * n_embd, n_embd))
        hidden_init_(self.qkv_w, n_embd)
        self.lambdas = nn.Parameter(torch.tensor([0.5, 0.5]))
        self.c_proj = nn.Linear(n_embd, n_embd, bias=False)
        nn.init.zeros_(self.c_proj.weight)  # zero_init_projections

    def forward(self, x, ve, mask):
        B, T, C = x.size()
        H, D = self.n_head, C // self.n_head
        q, k, v = F.linear(x, self.qkv_w).split(C, dim=2)
        # Every layer has the lambdas (nanolab gives them to all layers once value_embeds > 0); layers without a table
        # just scale their values.
        v = self.lambdas[0] * v
        if ve is not None:
            v = v + self.lambdas[1] * ve
        q, k, v = q.view(B, T, H, D), k.view(B, T, H, D), v.view(B, T, H, D)
        q, k = self.rotary(rms_norm(q)), self.rotary(rms_norm(k))  # QK-norm per head, then the rotation
        # SDPA with a boolean mask (window and documents), not FlexAttention: eager FlexAttention is an unfused
        # reference that materialises the scores and its CPU kernels need torch.compile, so the eager column could
        # not use it. On a CPU torch runs its flash kernel on this mask, computing every key tile; nanolab's kernel
        # skips the keys outside each row's range, so the twin does somewhat more attention work (see README.md).
        y = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2), attn_mask=mask,
                                           scale=self.scale)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    """C → 4C, relu², 4C → C (zero-initialised)."""

    def __init__(self, n_embd):
        super().__init__()
        self.c_fc = nn.Linear(n_embd, 4 * n_embd, bias=False)
        hidden_init_(self.c_fc.weight, n_embd)
        self.c_proj = nn.Linear(4 * n_embd, n_embd, bias=False)
        nn.init.zeros_(self.c_proj.weight)

    def forward(self, x):
        return self.c_proj(F.relu(self.c_fc(x)).square())


class Block(nn.Module):
    """Pre-norm block with x0 lambdas: x = λ0·x + λ1·x0, x + attn(norm(x)), x + mlp(norm(x))."""

    def __init__(self, n_embd, n_head, rotary, scale):
        super().__init__()
        self.lambdas = nn.Parameter(torch.tensor([1.0, 0.0]))
        self.attn = Attention(n_embd, n_head, rotary, scale)
        self.mlp = MLP(n_embd)

    def forward(self, x, x0, ve, mask):
        x = self.lambdas[0] * x + self.lambdas[1] * x0
        x = x + self.attn(rms_norm(x), ve, mask)
        return x + self.mlp(rms_norm(x))


class ModernGPT(nn.Module):
    """nanolab's ModernGpt at speedrun-modern's switches; parameter names are nanolab's (and modded-nanogpt's)."""

    def __init__(self, vocab_size, block_size, n_layer, n_head, n_embd, rope_base=1024, attention_scale=0.12,
                 value_embeds=3, softcap=30.0, document_boundary=-1):
        super().__init__()
        assert n_embd % n_head == 0 and (n_embd // n_head) % 4 == 0, "half-truncated rotary needs a head size % 4 == 0"
        assert 2 * value_embeds <= n_layer, "the 012…012 pattern needs 2·value_embeds ≤ n_layer"
        self.vocab_size, self.block_size, self.n_layer = vocab_size, block_size, n_layer
        self.softcap, self.document_boundary = softcap, document_boundary
        rotary = Rotary(n_embd // n_head, block_size, rope_base)  # one table, shared by every layer (as nanolab's)
        self.embed = nn.Embedding(vocab_size, n_embd)  # nn.Embedding's own init, normal(0, 1): modded init
        self.value_embeds = nn.ModuleList([nn.Embedding(vocab_size, n_embd) for _ in range(value_embeds)])
        self.blocks = nn.ModuleList([Block(n_embd, n_head, rotary, attention_scale) for _ in range(n_layer)])
        self.skip_weights = nn.Parameter(torch.ones(n_layer // 2))
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        nn.init.zeros_(self.lm_head.weight)  # untied, zero-initialised

    def get_num_params(self):
        """Every parameter (there are no learned positions to leave out): nanolab's reportedParameterCount."""
        return sum(p.numel() for p in self.parameters())

    def masks(self, idx, windows):
        """One boolean (B, 1, T, T) mask per distinct window: key j is visible to query i when j ≤ i, j > i − w (a
        window w > 0) and j ≥ the start of i's document (the last position p ≤ i holding the boundary id, else 0), as
        nanolab's CausalMask. Built from the ids every step, as nanolab's F.documentStarts is."""
        B, T = idx.size()
        pos = torch.arange(T, device=idx.device)
        allowed = pos[None, :] <= pos[:, None]  # (T, T): [query i, key j]
        allowed = allowed[None]
        if self.document_boundary >= 0:
            starts = torch.cummax(torch.where(idx == self.document_boundary, pos, 0), dim=1).values  # (B, T)
            allowed = allowed & (pos[None, None, :] >= starts[:, :, None])
        out = {}
        for w in sorted(set(windows)):
            m = allowed if w == 0 else allowed & (pos[None, :] > pos[:, None] - w)[None]
            out[w] = m[:, None]  # (B or 1, 1, T, T): every head alike
        return out

    def forward(self, idx, targets, windows):
        """windows: each layer's window (0 = none), from Windows at this step; the training loop passes them so that
        a growing window never changes a compiled graph's constants mid-run."""
        b, t = idx.size()
        assert t <= self.block_size, f"sequence of {t} tokens, block_size is only {self.block_size}"
        masks = self.masks(idx, windows)
        x = x0 = rms_norm(self.embed(idx))
        k = len(self.value_embeds)
        ve = [None] * self.n_layer
        for j, table in enumerate(self.value_embeds):  # tables 0…k−1 for the first k layers and again for the last k
            ve[j] = ve[self.n_layer - k + j] = table(idx)
        skips = self.skip_weights.numel()
        encoder_outputs = []
        for i, block in enumerate(self.blocks):
            if i >= self.n_layer - skips:  # the second half adds the mirrored first-half output (a stack: LIFO)
                x = x + self.skip_weights[i - (self.n_layer - skips)] * encoder_outputs.pop()
            x = block(x, x0, ve[i], masks[windows[i]])
            if i < skips:
                encoder_outputs.append(x)
        logits = self.lm_head(rms_norm(x))
        # modded-nanogpt's softcap 30·σ(z/7.5) (nanolab: cap·σ(4z/cap)). nanolab fuses it into the cross-entropy
        # kernel; eager PyTorch writes the capped (B, T, V) logits, torch.compile fuses them.
        logits = self.softcap * torch.sigmoid(logits / (self.softcap / 4))
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


class Windows:
    """nanolab's Windows: the long window grows linearly from window_start to long_window (0 = block_size) over
    window_warmup_iters training forward passes, rounded up to a multiple of window_block; S layers get half of it;
    a window as long as the block is no window (0)."""

    def __init__(self, block_size, pattern, long_window, window_start, warmup_iters, window_block):
        self.block_size, self.pattern, self.start = block_size, pattern, window_start
        self.warmup_iters, self.window_block = warmup_iters, window_block
        self.longest = long_window or block_size

    def long_window(self, step):
        if self.warmup_iters <= 0:
            return self.longest
        f = min(1.0, step / self.warmup_iters)
        w = self.start + (self.longest - self.start) * f
        rounded = math.ceil(w / self.window_block) * self.window_block
        return max(1, min(self.longest, rounded))

    def windows(self, n_layer, step):
        out = []
        for i in range(n_layer):
            w = self.long_window(step)
            if self.pattern and self.pattern[i % len(self.pattern)] == "S":
                w = max(1, w // 2)
            out.append(0 if w >= self.block_size else w)
        return tuple(out)


# ---------------------------------------------------------------------------------------------------------------------
# The optimizers: nanolab's Muon (plugin-optimizers/.../Muon.java, NewtonSchulz.java) for the blocks' hidden matrices,
# torch's Adam for the rest, grouped by the preset's param_groups rules.
# ---------------------------------------------------------------------------------------------------------------------

def newton_schulz5(x, steps):
    """The quintic Newton–Schulz iteration, (a, b, c) = (3.4445, −4.7750, 2.0315): A = X·Xᵀ, B = b·A + c·A·A,
    X ← a·X + B·X. A tall matrix is iterated as its transpose, so A is the small Gram matrix (nanolab and
    modded-nanogpt alike). float32 here and in nanolab; modded-nanogpt iterates in bfloat16."""
    a, b, c = 3.4445, -4.7750, 2.0315
    tall = x.size(0) > x.size(1)
    if tall:
        x = x.mT
    for _ in range(steps):
        A = x @ x.mT
        B = b * A + c * (A @ A)
        x = a * x + B @ x
    return x.mT if tall else x


class Muon(torch.optim.Optimizer):
    """nanolab's Muon on 2-D hidden matrices W (out, in):
        μ   = momentum_start → momentum linearly over momentum_warmup_steps (step 1-based)
        buf = μ·buf + (1−μ)·g;   u = (1−μ)·g + μ·buf (Nesterov; else u = buf)
        W   = W·(1 − lr·wd) − lr·max(1, out/in)^½ · NewtonSchulz5(u / (‖u‖_F + eps))"""

    def __init__(self, groups, lr, momentum, nesterov, ns_steps, eps, momentum_start, momentum_warmup_steps):
        super().__init__(groups, dict(lr=lr, weight_decay=0.0))
        self.momentum, self.nesterov, self.ns_steps, self.eps = momentum, nesterov, ns_steps, eps
        self.momentum_start, self.momentum_warmup_steps = momentum_start, momentum_warmup_steps
        self.t = 0

    def momentum_at(self, step):
        if self.momentum_warmup_steps == 0:
            return self.momentum
        f = min(1.0, (step - 1) / self.momentum_warmup_steps)
        return (1 - f) * self.momentum_start + f * self.momentum

    @torch.no_grad()
    def step(self):
        self.t += 1
        mu = self.momentum_at(self.t)
        for group in self.param_groups:
            lr, wd = group["lr"], group["weight_decay"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.zeros_like(p)
                buf = state["momentum_buffer"]
                buf.lerp_(p.grad, 1 - mu)
                u = p.grad.lerp(buf, mu) if self.nesterov else buf
                o = newton_schulz5(u / (u.norm() + self.eps), self.ns_steps)
                if wd:
                    p.mul_(1 - lr * wd)
                p.add_(o, alpha=-lr * max(1.0, p.size(0) / p.size(1)) ** 0.5)


def glob(pattern):
    """nanolab's ParamGroupRules.glob: * any run of characters (dots included), ? one, {a,b} either alternative."""
    out, depth = [], 0
    for ch in pattern:
        if ch == "*":
            out.append(".*")
        elif ch == "?":
            out.append(".")
        elif ch == "{":
            out.append("(?:")
            depth += 1
        elif ch == "}":
            out.append(")")
            depth -= 1
        elif ch == "," and depth > 0:
            out.append("|")
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out))


def configure_optimizers(model, param_groups, lr, betas, eps, weight_decay, impl):
    """The preset's param_groups as nanolab's ParamGroupRules reads them: the first rule that fits a parameter's name
    and rank takes it; a rule naming muon sends its group to Muon, the rest go to Adam (the run's optimizer), each
    group at lr·lr_mult. As in `nanolab bench train`, the rate is constant: Adam's base rate, and Muon's own."""
    rules = param_groups["rules"]
    muon_opts = dict(MUON_DEFAULTS)
    for ref in param_groups.get("optimizers", []):
        if ref.get("name") == "muon":
            muon_opts.update({k: v for k, v in ref.items() if k != "name"})
    by_rule = [[] for _ in rules]
    for name, p in model.named_parameters():
        for r, rule in enumerate(rules):
            if (p.dim() >= rule.get("min_rank", 0) and (rule.get("max_rank") is None or p.dim() <= rule["max_rank"])
                    and glob(rule["match"]).fullmatch(name)):
                by_rule[r].append((name, p))
                break
        else:
            raise SystemExit(f"modern_step: parameter {name} matches no param_groups rule")
    adam_groups, muon_groups = [], []
    for rule, named in zip(rules, by_rule):
        if not named:
            continue
        opt = rule.get("optimizer")
        if opt == "muon":
            fallback = [glob(g) for g in muon_opts["fallback_names"]]
            odd = [n for n, p in named if p.dim() != 2 or any(g.fullmatch(n) for g in fallback)]
            if odd:  # nanolab would send these to Muon's fallback (AdamW at its own rate): not mirrored here
                raise SystemExit(f"modern_step: {odd} are in a Muon group but not hidden matrices; not mirrored")
            wd = rule.get("weight_decay")
            muon_groups.append({"params": [p for _, p in named], "name": rule.get("name"),
                                "lr": muon_opts["lr"] * rule.get("lr_mult", 1.0),
                                "weight_decay": muon_opts["weight_decay"] if wd is None else wd})
        elif opt is None:
            wd = rule.get("weight_decay")
            adam_groups.append({"params": [p for _, p in named], "name": rule.get("name"),
                                "lr": lr * rule.get("lr_mult", 1.0),
                                "weight_decay": weight_decay if wd is None else wd})
        else:
            raise SystemExit(f"modern_step: optimizer {opt!r} of rule {rule.get('name')} is not mirrored (muon only)")
    extra = optimizer_impl(impl)
    # torch.optim.Adam: L2 decay added to the gradient, as nanolab's adam (0 in speedrun-modern anyway)
    optimizers = [torch.optim.Adam(adam_groups, lr=lr, betas=betas, eps=eps, **extra)] if adam_groups else []
    if muon_groups:
        optimizers.append(Muon(muon_groups, lr=muon_opts["lr"], momentum=muon_opts["momentum"],
                               nesterov=muon_opts["nesterov"], ns_steps=muon_opts["ns_steps"], eps=muon_opts["eps"],
                               momentum_start=muon_opts["momentum_start"],
                               momentum_warmup_steps=muon_opts["momentum_warmup_steps"]))
    return optimizers


# ---------------------------------------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    add_shape_args(p, n_layer=6, n_head=4, n_embd=128, block_size=256, batch=8, vocab=2048)
    p.add_argument("--rope-base", type=float, default=1024)
    p.add_argument("--attention-scale", type=float, default=0.12)
    p.add_argument("--value-embeds", type=int, default=3)
    p.add_argument("--softcap", type=float, default=30.0, help="the sigmoid softcap's cap")
    p.add_argument("--window-pattern", default="LSSL", help="L long, S short (half), cycled over the layers")
    p.add_argument("--long-window", type=int, default=0, help="0 = block_size")
    p.add_argument("--window-start", type=int, default=64)
    p.add_argument("--window-warmup-iters", type=int, default=1500, help="0 = the long window from the start")
    p.add_argument("--window-block", type=int, default=32)
    p.add_argument("--document-boundary", type=int, default=2047, help="token id that opens a document; -1 = none")
    p.add_argument("--lr", type=float, default=0.004, help="Adam's base rate (groups scale it by lr_mult)")
    p.add_argument("--beta1", type=float, default=0.8)
    p.add_argument("--beta2", type=float, default=0.95)
    p.add_argument("--eps", type=float, default=1e-10)
    p.add_argument("--weight-decay", type=float, default=0.0, help="for groups whose rule leaves it unset")
    p.add_argument("--param-groups", type=json.loads, default=DEFAULT_PARAM_GROUPS,
                   help="the preset's param_groups as JSON (rules and optimizers); default speedrun-modern's")
    p.add_argument("--grad-clip", type=float, default=0.0, help="clip to this global norm; 0 = no clipping")
    p.add_argument("--adam", choices=["default", "loop", "foreach", "fused"], default="default",
                   help="Adam implementation; default = torch's own choice")
    add_timing_args(p)
    a = p.parse_args(argv)
    check_timing_args(p, a)
    return a


def build(a):
    """The model, its window schedule and its optimizers from parsed arguments."""
    model = ModernGPT(a.vocab, a.block_size, a.n_layer, a.n_head, a.n_embd, a.rope_base, a.attention_scale,
                      a.value_embeds, a.softcap, a.document_boundary)
    windows = Windows(a.block_size, a.window_pattern, a.long_window, a.window_start, a.window_warmup_iters,
                      a.window_block)
    optimizers = configure_optimizers(model, a.param_groups, a.lr, (a.beta1, a.beta2), a.eps, a.weight_decay, a.adam)
    return model, windows, optimizers


def make_step(a, model, windows, optimizers, fwd, batches):
    """One training step as nanolab's TrainStep runs it; batches() gives (x, y) for each micro-batch."""
    params = [p for p in model.parameters()]
    forward_passes = [0]  # nanolab's window_step: training forward passes so far

    def step():
        for _ in range(a.grad_accum):
            x, y = batches()
            _, loss = fwd(x, y, windows.windows(a.n_layer, forward_passes[0]))
            forward_passes[0] += 1
            (loss / a.grad_accum).backward()
        # nanolab's TrainStep takes the gradients' global norm every step (clipping or not), to refuse a non-finite
        # one; so does this step.
        if a.grad_clip > 0:
            torch.nn.utils.clip_grad_norm_(params, a.grad_clip)
        else:
            torch.nn.utils.get_total_norm([p.grad for p in params if p.grad is not None])
        for opt in optimizers:
            opt.step()
        model.zero_grad(set_to_none=True)
        return loss

    return step


def main(argv=None):
    a = parse_args(sys.argv[1:] if argv is None else argv)
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    model, windows, optimizers = build(a)
    model.train()
    fwd = model
    if a.compile != "none":
        fwd = torch.compile(model, mode=None if a.compile == "default" else a.compile)
    gen = torch.Generator().manual_seed(a.seed)
    shape = (a.batch, a.block_size)

    def batches():
        # Random ids drawn inside the step, as nanolab's bench train draws its batches: uniform over the vocabulary,
        # so the boundary id turns up at its natural rate, 1/vocab (about one per 2048-token step).
        return torch.randint(a.vocab, shape, generator=gen), torch.randint(a.vocab, shape, generator=gen)

    step = make_step(a, model, windows, optimizers, fwd, batches)
    warm_ms, ms, loss = time_steps(step, a.warmup, a.steps)
    row = {
        "impl": "pytorch",
        "model": "modern-gpt",
        "compile": a.compile,
        "label": a.label,
        "params": model.get_num_params(),
        "n_layer": a.n_layer, "n_head": a.n_head, "n_embd": a.n_embd, "block_size": a.block_size,
        "batch_size": a.batch, "gradient_accumulation_steps": a.grad_accum, "vocab": a.vocab,
        "windows": list(windows.windows(a.n_layer, a.warmup + a.steps - 1)),  # the last timed step's
        "adam": a.adam,
        **timing_fields(a, warm_ms, ms, loss, a.batch * a.block_size * a.grad_accum),
    }
    if a.json:
        print(json.dumps(row), flush=True)
    else:
        print(f"modern-gpt twin {row['params'] / 1e6:.2f}M params, {a.batch}x{a.block_size}x{a.grad_accum} tokens/step, "
              f"vocab {a.vocab}, windows {row['windows']}, compile={a.compile}, {row['threads']} threads, "
              f"torch {torch.__version__}")
        print_timing(row, a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
