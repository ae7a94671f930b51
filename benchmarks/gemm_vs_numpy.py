#!/usr/bin/env python3
"""Runs GemmBench / GemmBatchedBench (JMH) and numpy_gemm.py case by case, interleaved so that both see the same
machine load, and prints a markdown table of median GFLOP/s and the ratio nanolab / numpy.

usage: python3 benchmarks/gemm_vs_numpy.py [--threads N] [--quick] [--only SUBSTRING ...]
  --quick: JMH 3 warm-up iterations of 1 s + 3 measured of 0.5 s (default 3 + 5 of 1 s)
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAPES = ["768x128x384", "768x128x512", "768x512x128", "1024x1024x1024", "8192x768x768", "8192x768x3072",
          "8192x3072x768", "16384x384x1536"]
BATCHED = ["48x64x32x64", "48x64x64x32"]

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--quick", action="store_true")
parser.add_argument("--only", nargs="*", default=[])
args = parser.parse_args()

cases = [("GemmBench", s, v) for s in SHAPES for v in ("NN", "NT", "TN", "TT")]
cases += [("GemmBatchedBench", s, v) for s in BATCHED for v in ("NN", "NT")]
if args.only:
    cases = [c for c in cases if any(o in f"{c[1]}:{c[2]}" for o in args.only)]

subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-B", "-f", os.path.join(ROOT, "pom.xml"), "-pl", "benchmarks",
                "-am", "package", "-DskipTests"], check=True)
java = os.path.join(subprocess.run([os.path.join(ROOT, ".mvn", "find-jdk")], capture_output=True, text=True,
                                   check=True).stdout.strip(), "bin", "java")
with open(os.path.join(ROOT, "benchmarks", "target", "classpath.txt")) as f:
    cp = os.path.join(ROOT, "benchmarks", "target", "classes") + ":" + f.read().strip()
timing = ["-wi", "3", "-i", "3", "-w", "1s", "-r", "500ms"] if args.quick else ["-wi", "3", "-i", "5", "-w", "1s", "-r", "1s"]


def nanolab(bench, shape, variant):
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([java, "--add-modules", "jdk.incubator.vector", "-cp", cp, "org.openjdk.jmh.Main", "-f", "1",
                        *timing, "-p", f"shape={shape}", "-p", f"variant={variant}", "-p", f"threads={args.threads}",
                        "-rf", "json", "-rff", out.name, f"dev.nanolab.benchmarks.gemm.{bench}\\."],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        result = json.load(open(out.name))[0]
    raw = [x for fork in result["secondaryMetrics"]["gflop"]["rawData"] for x in fork]
    return statistics.median(raw)


def numpy(shape, variant):
    line = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "numpy_gemm.py"), "--threads",
                           str(args.threads), f"{shape}:{variant}"], capture_output=True, text=True, check=True).stdout
    return float(line.split()[1])


print(f"| shape (M×K×N, batch×M×K×N) | variant | nanolab GFLOP/s | numpy GFLOP/s | nanolab / numpy |")
print(f"|---|---|---:|---:|---:|")
for bench, shape, variant in cases:
    np_rate = numpy(shape, variant)
    nl_rate = nanolab(bench, shape, variant)
    print(f"| {shape} | {variant} | {nl_rate:.1f} | {np_rate:.1f} | {nl_rate / np_rate:.2f} |", flush=True)
