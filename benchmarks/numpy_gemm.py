#!/usr/bin/env python3
"""numpy (OpenBLAS) sgemm throughput at the shapes of GemmBench / GemmBatchedBench, for side-by-side comparison.

usage: python3 benchmarks/numpy_gemm.py [--threads N] [--samples S] CASE ...
       python3 benchmarks/numpy_gemm.py [--threads N] --serve
  CASE is SHAPE:VARIANT, SHAPE is MxKxN (or BxMxKxN for a batch of B products), VARIANT is NN, NT, TN or TT
  (transposes of A and B, as in GemmBench). Prints one line per case: CASE median-GFLOP/s min max.
  --serve: reads lines "CASE SECONDS" from stdin and answers each with one line, the GFLOP/s of one sample of
  at least SECONDS (GemmVsNumpy uses this to interleave numpy and nanolab samples finely).
  --cpu-time: divide by the process's CPU time instead of wall-clock time (meaningful with --threads 1: it leaves
  out the time other processes took the core).
"""
import argparse
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--samples", type=int, default=15)
parser.add_argument("--serve", action="store_true")
parser.add_argument("--cpu-time", action="store_true")
parser.add_argument("cases", nargs="*")
args = parser.parse_args()
# OpenBLAS reads its thread count when it loads, so set it before importing numpy.
os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
os.environ["OMP_NUM_THREADS"] = str(args.threads)
import numpy as np  # noqa: E402


def operands(case):
    shape, variant = case.split(":")
    dims = [int(x) for x in shape.split("x")]
    batch, (m, k, n) = (dims[0], dims[1:]) if len(dims) == 4 else (None, dims)
    lead = () if batch is None else (batch,)
    rng = np.random.default_rng(1)
    # Stored exactly as GemmBench stores them: A is k×m when transposed, B is n×k when transposed.
    a = rng.uniform(-1, 1, lead + ((k, m) if variant[0] == "T" else (m, k))).astype(np.float32)
    b = rng.uniform(-1, 1, lead + ((n, k) if variant[1] == "T" else (k, n))).astype(np.float32)
    op_a = np.swapaxes(a, -1, -2) if variant[0] == "T" else a
    op_b = np.swapaxes(b, -1, -2) if variant[1] == "T" else b
    c = np.empty(lead + (m, n), dtype=np.float32)
    return op_a, op_b, c, 2.0 * (batch or 1) * m * n * k


def sample(a, b, c, flop, seconds):
    """GFLOP/s over repeated calls lasting at least `seconds`."""
    calls, start, cpu_start = 0, time.perf_counter(), time.process_time()
    while True:
        np.matmul(a, b, out=c)
        calls += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            if args.cpu_time:
                elapsed = time.process_time() - cpu_start
            return flop * calls / elapsed / 1e9


def measure(case):
    a, b, c, flop = operands(case)
    sample(a, b, c, flop, 0.3)  # warm-up
    rates = sorted(sample(a, b, c, flop, 0.05) for _ in range(args.samples))
    return rates[len(rates) // 2], rates[0], rates[-1]


if args.serve:
    cache = {}
    for line in sys.stdin:
        case, seconds = line.split()
        if case not in cache:
            cache.clear()  # keep one case's operands at a time
            cache[case] = operands(case)
            sample(*cache[case], 0.3)
        print(f"{sample(*cache[case], float(seconds)):.3f}", flush=True)
else:
    for case in args.cases:
        median, lo, hi = measure(case)
        print(f"{case} {median:.1f} {lo:.1f} {hi:.1f}", flush=True)
