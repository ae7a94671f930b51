#!/usr/bin/env python3
"""Checks that modern_step.py's PyTorch twin is the model nanolab's speedrun-modern preset builds: the parameter count
(against `nanolab bench train`'s, with --nanolab), the parameter groups and their optimizers, the masks, rotary table
and window schedule against nanolab's rules written out by hand, the loss at initialisation (exactly ln vocab: the
head is zero, so every capped logit is 30·σ(0) = 15), and that the loss falls over a few steps at the preset's rates
on real text (torch's own torch/nn/modules/*.py as bytes, each file a document opened by the boundary id: text that
stays put for a given torch, wherever the peer runs).

usage: python modern_check.py [--nanolab CMD] [--steps 20] [--threads 1] [--compile]
  --nanolab  a nanolab command (e.g. distribution/target/nanolab/bin/nanolab): its `bench train --json` params must
             equal the twin's
  --compile  also check that torch.compile gives the eager loss on the first step (compiles for a minute or so)
Exits non-zero when a check fails.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import modern_step as ms  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
preset = os.path.join(root, "training/src/main/resources/dev/nanolab/training/presets/speedrun-modern.yaml")
# `run`'s overrides for speedrun-modern: the windows of the end of their growth from step 0
overrides = ["--set", "model.window_start=0", "--set", "model.window_warmup_iters=0"]
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what)
    if not ok:
        failures.append(what)


def preset_args(extra=()):
    """modern_step's arguments for speedrun-modern as `run` gives them (preset_shape.py, the same --set overrides)."""
    script = os.path.join(here, "preset_shape.py")
    flags = subprocess.run([sys.executable, script, preset, *overrides, "--vocab", "2048"], check=True,
                           capture_output=True, text=True).stdout.splitlines()
    return ms.parse_args(flags + list(extra))


def reference_mask(ids, boundary, window):
    """nanolab's CausalMask with F.documentStarts, one query and key at a time."""
    B, T = len(ids), len(ids[0])
    out = torch.zeros(B, T, T, dtype=torch.bool)
    for b in range(B):
        start = 0
        for i in range(T):
            if ids[b][i] == boundary:
                start = i
            for j in range(T):
                out[b, i, j] = j <= i and (window == 0 or j > i - window) and j >= start
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--nanolab", help="a nanolab command whose bench train params the twin's must equal")
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--compile", action="store_true")
    c = p.parse_args()
    torch.set_num_threads(c.threads)
    torch.manual_seed(1337)
    a = preset_args()
    model, windows, optimizers = ms.build(a)

    # --- parameters and their groups ------------------------------------------------------------------------------
    n = model.get_num_params()
    V, C, L = a.vocab, a.n_embd, a.n_layer
    by_hand = V * C * (1 + a.value_embeds) + L * 12 * C * C + V * C + L // 2 + L * 2 * 2
    print(f"twin parameters: {n:,} (tables {V * C * (1 + a.value_embeds):,}, blocks {L * 12 * C * C:,}, "
          f"head {V * C:,}, scalars {L // 2 + L * 4})")
    check(n == by_hand, f"twin's count {n:,} = (1 + value_embeds)·V·C + 12·L·C² + V·C + L/2 + 4·L = {by_hand:,}")
    if c.nanolab:
        cmd = [c.nanolab, "bench", "train", "--preset", "speedrun-modern", "--vocab", "2048", *overrides,
               "--json", "--steps", "1", "--warmup", "1"]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        nl = int(json.loads(out[out.find("["):])[0]["params"])
        check(nl == n, f"nanolab bench train params {nl:,} = twin's {n:,}")
    names = {id(p): name for name, p in model.named_parameters()}
    groups = [(type(o).__name__, g) for o in optimizers for g in o.param_groups]
    for opt, g in groups:
        shown = [names[id(p)] for p in g["params"]]
        print(f"  {opt:<5} {g['name']:<10} lr {g['lr']:<6g} wd {g['weight_decay']:g}  {len(shown)} tensors: "
              + ", ".join(shown[:4]) + (", ..." if len(shown) > 4 else ""))
    summary = {g["name"]: (opt, round(g["lr"], 6), len(g["params"])) for opt, g in groups}
    check(summary == {"embeddings": ("Adam", 0.3, 1 + a.value_embeds), "hidden": ("Muon", 0.05, 4 * L),
                      "head": ("Adam", 0.004, 1), "scalars": ("Adam", 0.02, 1 + 2 * L)},
          "groups: embeddings Adam 0.3, hidden matrices Muon 0.05, head Adam 0.004, scalars Adam 0.02")
    adam = optimizers[0]
    check(adam.defaults["betas"] == (0.8, 0.95) and adam.defaults["eps"] == 1e-10, "Adam betas (0.8, 0.95), eps 1e-10")
    muon = optimizers[1]
    check(abs(muon.momentum_at(1) - 0.85) < 1e-12 and abs(muon.momentum_at(151) - 0.90) < 1e-12
          and muon.momentum_at(301) == 0.95 and muon.momentum_at(9999) == 0.95,
          "Muon momentum 0.85 at step 1, 0.90 at 151, 0.95 from 301")

    # --- windows, masks, rotary, Newton–Schulz ----------------------------------------------------------------------
    check(windows.windows(L, 0) == (0, 128, 128, 0, 0, 128), "fixed windows (the run's overrides): L S S L L S = 256 "
          "(none), 128, 128, none, none, 128")
    grow = ms.Windows(256, "LSSL", 0, 64, 1500, 32)
    check([grow.windows(L, s) for s in (0, 1, 750, 1499, 1500)]
          == [(64, 32, 32, 64, 64, 32), (96, 48, 48, 96, 96, 48), (160, 80, 80, 160, 160, 80),
              (0, 128, 128, 0, 0, 128), (0, 128, 128, 0, 0, 128)],
          "the preset's growing windows (64 → 256 by 32s over 1500 passes) as nanolab's Windows")
    rng = random.Random(1)
    ids = [[rng.choice([5, 7, 9, 2047]) for _ in range(24)] for _ in range(3)]
    ids[0][0] = 2047
    got = model.masks(torch.tensor(ids), (0, 5))
    check(all(torch.equal(got[w][:, 0], reference_mask(ids, 2047, w)) for w in (0, 5)),
          "masks (causal, window, document starts) = nanolab's CausalMask rules")
    rot = ms.Rotary(32, 16, 1024.0)
    x = torch.randn(2, 16, 4, 32)
    y = rot(x)
    t, j = 9, 3
    w = (1 / 1024) ** (j / 7)
    want = x[:, t, :, j] * math.cos(t * w) + x[:, t, :, j + 16] * math.sin(t * w)
    check(torch.allclose(y[:, t, :, j], want, atol=1e-5) and torch.equal(y[..., 8:16], x[..., 8:16])
          and torch.equal(y[..., 24:], x[..., 24:]),
          "rotary: pairs (j, j + D/2), D/4 frequencies 1 … 1/1024, the rest fixed")
    s = torch.linalg.svdvals(ms.newton_schulz5(torch.randn(384, 128) / 300, 5))
    check(0.5 < s.min().item() and s.max().item() < 1.3,
          f"Newton–Schulz (5 steps) takes singular values to [{s.min().item():.2f}, {s.max().item():.2f}]")

    # --- the loss ---------------------------------------------------------------------------------------------------
    # Real text: torch's nn modules' Python sources, as bytes (ids < 256 of the 2048), each file a document opened by
    # the boundary id; batches are random 256-token windows of it, so they cross documents as speedrun-modern's do.
    src = os.path.join(os.path.dirname(torch.__file__), "nn", "modules")
    files = sorted(os.path.join(src, f) for f in os.listdir(src) if f.endswith(".py"))
    data = []
    for f in files:
        data.append(a.document_boundary)
        data.extend(open(f, "rb").read())
    data = torch.tensor(data)
    gen = torch.Generator().manual_seed(1337)

    def batches():
        i = torch.randint(len(data) - a.block_size - 1, (a.batch,), generator=gen)
        x = torch.stack([data[k:k + a.block_size] for k in i.tolist()])
        y = torch.stack([data[k + 1:k + 1 + a.block_size] for k in i.tolist()])
        return x, y

    first_x, first_y = batches()
    gen.manual_seed(1337)
    model.train()
    losses = []
    step = ms.make_step(a, model, windows, optimizers, model, batches)
    for _ in range(c.steps):
        losses.append(step().item())
    print("losses: " + " ".join(f"{v:.3f}" for v in losses))
    check(abs(losses[0] - math.log(a.vocab)) < 1e-4,
          f"initial loss {losses[0]:.4f} = ln {a.vocab} = {math.log(a.vocab):.4f}")
    drop = 2.0 if c.steps >= 20 else 0.0  # 20 steps take it from 7.62 to about 2.9
    check(losses[-1] < losses[0] - drop, f"loss falls over {c.steps} steps: {losses[0]:.3f} → {losses[-1]:.3f}")

    if c.compile:
        # The trained model (its head no longer zero, so the loss depends on every part), on the first batch.
        ws = windows.windows(L, 0)
        with torch.no_grad():
            eager = model(first_x, first_y, ws)[1].item()
            compiled = torch.compile(model)(first_x, first_y, ws)[1].item()
        check(abs(eager - compiled) < 1e-3, f"torch.compile loss {compiled:.5f} = eager {eager:.5f} (trained model)")

    print("all checks passed" if not failures else f"{len(failures)} check(s) FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
