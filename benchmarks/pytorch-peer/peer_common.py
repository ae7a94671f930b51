"""What nanogpt_step.py and modern_step.py share: the shape and timing options, the timed loop, and the JSON line's
timing fields, so both peers time a step the same way (warm-up steps untimed, then the median of the timed ones, and the
process's peak resident memory)."""
import os
import platform
import resource
import statistics
import sys
import time

import torch


def add_shape_args(p, n_layer, n_head, n_embd, block_size, batch, vocab):
    """The model's and the batch's shape, with a script's defaults."""
    p.add_argument("--n-layer", type=int, default=n_layer)
    p.add_argument("--n-head", type=int, default=n_head)
    p.add_argument("--n-embd", type=int, default=n_embd)
    p.add_argument("--block-size", type=int, default=block_size)
    p.add_argument("--batch", type=int, default=batch, help="sequences per micro-batch")
    p.add_argument("--grad-accum", type=int, default=1, help="micro-batches per step (gradients add up)")
    p.add_argument("--vocab", type=int, default=vocab)


def optimizer_impl(impl):
    """torch.optim keyword arguments for --adam/--adamw: loop, foreach, fused, or default (torch's own choice: on CPU
    tensors the single-tensor loop; fused stays off)."""
    return {"foreach": {"foreach": True}, "fused": {"fused": True}, "loop": {"foreach": False}}.get(impl, {})


def add_timing_args(p):
    """The options every peer script takes: how many steps, compile, threads, seed, output."""
    p.add_argument("--steps", type=int, default=10, help="timed steps after warm-up")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first (with --compile, the first compiles)")
    p.add_argument("--compile", choices=["none", "default", "max-autotune-no-cudagraphs"], default="none",
                   help="torch.compile the model (not the optimizers), as nanoGPT's --compile does")
    p.add_argument("--threads", type=int, default=os.cpu_count(), help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=1337)
    p.add_argument("--label", default="", help="a free-form tag copied into the JSON line")
    p.add_argument("--json", action="store_true", help="print one JSON line instead of text")


def check_timing_args(p, a):
    if a.steps < 1:
        p.error("--steps must be at least 1")
    if a.warmup < 0:
        p.error("--warmup must be at least 0")
    if a.compile != "none" and a.warmup < 1:
        p.error("--compile needs --warmup of at least 1 (the first step compiles)")


def time_steps(step, warmup, steps):
    """Runs `warmup` untimed and `steps` timed calls of step(); returns (warm-up ms, timed ms, the last loss)."""
    warm_ms = []
    for _ in range(warmup):
        t0 = time.perf_counter()
        step()
        warm_ms.append((time.perf_counter() - t0) * 1e3)
    ms = []
    loss = None
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = step()
        ms.append((time.perf_counter() - t0) * 1e3)
    return warm_ms, ms, loss


def peak_rss_mib():
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB
    return rss / 1024.0 if sys.platform == "darwin" else rss  # macOS reports bytes


def timing_fields(a, warm_ms, ms, loss, tokens_per_step):
    """The JSON line's timing fields, the same in both peers."""
    median = statistics.median(ms)
    return {
        "steps": a.steps, "warmup": a.warmup,
        "ms_per_step": median,
        "ms_min": min(ms), "ms_max": max(ms),
        "first_step_ms": warm_ms[0] if warm_ms else None,  # includes compilation with --compile
        "tokens_per_s": tokens_per_step / (median / 1e3),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "final_loss": float(loss.item()),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
    }


def print_timing(row, a):
    """The text output's timing lines."""
    print(f"  median {row['ms_per_step']:.1f} ms/step over {a.steps} steps after {a.warmup} warm-up "
          f"(min {row['ms_min']:.1f}, max {row['ms_max']:.1f}; first warm-up step {row['first_step_ms'] or float('nan'):.0f} ms)")
    print(f"  {row['tokens_per_s']:,.0f} tokens/s, peak RSS {row['peak_rss_mib']:.0f} MiB, last loss {row['final_loss']:.3f}")
