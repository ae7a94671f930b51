#!/usr/bin/env python3
"""Builds the benchmarks and runs GemmVsNumpy: nanolab's SGEMM and numpy's measured in alternating short samples,
case by case, printed as a markdown table (median GFLOP/s of each, median of the paired ratios).

usage: python3 benchmarks/gemm_vs_numpy.py [--threads N] [--rounds R] [--sample-seconds S] [CASE ...]
  CASE: MxKxN:VARIANT or BxMxKxN:VARIANT (VARIANT NN, NT, TN, TT); default: all GemmBench/GemmBatchedBench cases.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-B", "-f", os.path.join(ROOT, "pom.xml"), "-pl", "benchmarks",
                "-am", "package", "-DskipTests"], check=True)
java_home = subprocess.run([os.path.join(ROOT, ".mvn", "find-jdk")], capture_output=True, text=True,
                           check=True).stdout.strip()
with open(os.path.join(ROOT, "benchmarks", "target", "classpath.txt")) as f:
    cp = os.path.join(ROOT, "benchmarks", "target", "classes") + os.pathsep + f.read().strip()
sys.exit(subprocess.run([os.path.join(java_home, "bin", "java"), "--add-modules", "jdk.incubator.vector", "-cp", cp,
                         "dev.nanolab.benchmarks.gemm.GemmVsNumpy", "--python", sys.executable, *sys.argv[1:]],
                        cwd=ROOT).returncode)
