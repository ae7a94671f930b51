#!/bin/bash
# nanolab TornadoVM device bundle runner. Needs no Java (the bundle brings one); needs a GPU driver (NVIDIA: PTX, or
# any OpenCL ICD), python3 (and PyTorch for the timing). Three checks, each a PASS/FAIL line, then a summary:
#   (a) selfcheck: the TornadoVM kernel tests against the CPU backend (KernelsTest, PeakTest, CaptureTest,
#       GptTrainingTest) on the device;
#   (b) train: cpu-demo and shakespeare-char for a few steps on the device and on the CPU backend; losses compared;
#   (c) speed: a shakespeare-char step on the device against PyTorch eager on the same GPU (nanogpt_bench.py).
#
#   ./run.sh [--device B:D] [--steps N] [--quick] [--only a|b|c] [--out DIR]
#
#   --device B:D  TornadoVM device (default: the first PTX device, else the first OpenCL GPU, else 0:0)
#   --steps N     training steps per run in (b) and (c) (default 8)
#   --quick       shrink shakespeare-char (batch 4, block 64) and skip GptTrainingTest: for a CPU OpenCL device (PoCL)
#   --only X      run one check
#   --out DIR     run folders and logs (default /tmp/nanolab-bundle-run)
set -uo pipefail
home=$(cd "$(dirname "$0")" && pwd)
device=""; steps=8; quick=0; only=""; out=/tmp/nanolab-bundle-run
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device="$2"; shift 2 ;;
    --steps) steps="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
java="$home/jre/bin/java"
tvm="$home/tornadovm"
nl="$home/nanolab"
export TORNADOVM_HOME="$tvm"
[ -x "$java" ] || { echo "run.sh: $java missing: an incomplete bundle" >&2; exit 1; }
# The OpenCL JNI library links against libOpenCL.so.1: use the system's, else the bundle's loader.
if ! ldconfig -p 2>/dev/null | grep -q 'libOpenCL.so.1' && [ -d "$home/ocl" ]; then
  export LD_LIBRARY_PATH="$home/ocl${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

# TornadoVM's flags with this folder's paths; nanolab's variant without '.' on the module path (docs/tornadovm.md §1).
sed -e "s#\${TORNADOVM_HOME}#$tvm#g" -e 's#--module-path \.:#--module-path #' "$tvm/tornado-argfile.template" > "$tvm/tornado-argfile-nanolab"
# Variants with one backend: TornadoVM stops at start-up when a backend it loads cannot start (OpenCL with no ICD
# or no platform; PTX with no NVIDIA driver), so a machine with one of them runs with the other's driver module left out.
variant() { # NAME DROPPED-MODULE DROPPED-JAR-PREFIX: tornado-argfile-NAME and share/java/tornado-NAME
  local name=$1 mod=$2 jar=$3
  mkdir -p "$tvm/share/java/tornado-$name"
  for j in "$tvm"/share/java/tornado/*.jar; do
    case "$(basename "$j")" in $jar*) ;; *) ln -sf "$j" "$tvm/share/java/tornado-$name/" ;; esac
  done
  sed -e "s#,$mod##g" -e "s#$mod,##g" -e "/=$mod\$/d" -e "s#$tvm/share/java/tornado\b#$tvm/share/java/tornado-$name#g" \
      "$tvm/tornado-argfile-nanolab" > "$tvm/tornado-argfile-$name"
}
variant ptx tornado.drivers.opencl tornado-drivers-opencl
variant opencl tornado.drivers.ptx tornado-drivers-ptx
argfile="$tvm/tornado-argfile-nanolab"; tmods="$tvm/share/java/tornado"

plugin=$(ls "$nl"/plugins/plugin-tornadovm-*.jar)
nanolab() { # nanolab CLI on the bundle's runtime: bin/nanolab's command line, with this JRE (it has no javac for find-jdk)
  local extra=()
  case "$*" in *tornadovm*) extra=("@$argfile" -cp "$plugin") ;; esac
  "$java" -XX:+UseParallelGC -XX:MaxNewSize=64m --add-modules jdk.incubator.vector,ALL-MODULE-PATH -Dnanolab.home="$nl" ${NANOLAB_JAVA_OPTS-} \
    "${extra[@]}" --module-path "$nl/lib:$tmods" -m dev.nanolab.launcher/dev.nanolab.launcher.Main "$@"
}

echo "== nanolab bundle $(cat "$home/NANOLAB-COMMIT" 2>/dev/null), $(uname -m), $(nproc) CPUs"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/== GPU: /'

# Devices: with both backends, else PTX alone, else OpenCL alone.
for v in nanolab ptx opencl; do
  argfile="$tvm/tornado-argfile-$v"; tmods="$tvm/share/java/tornado"; [ "$v" = nanolab ] || tmods="$tvm/share/java/tornado-$v"
  nanolab plugins --modules=dev.nanolab.tornadovm,dev.nanolab.cpu > "$out/devices.txt" 2>&1
  grep -qE 'device: tornadovm [0-9]' "$out/devices.txt" && break
  echo "== TornadoVM did not start with $( [ $v = nanolab ] && echo 'OpenCL and PTX' || echo "$v alone"): $(grep -m1 -E 'device: tornadovm|Error|Exception' "$out/devices.txt" | sed 's/^ *//' | cut -c1-160)"
done
grep -qE 'device: tornadovm [0-9]' "$out/devices.txt" || { echo "run.sh: TornadoVM lists no device with any backend (see $out/devices.txt)"; exit 1; }
grep -E 'device: tornadovm [0-9]' "$out/devices.txt" | sed 's/^ *device: /== device: /'
if [ -z "$device" ]; then
  device=$(grep -E 'device: tornadovm [0-9]+:[0-9]+' "$out/devices.txt" | grep -i 'ptx' | head -1 | awk '{print $3}')
  [ -n "$device" ] || device=$(grep -E 'device: tornadovm [0-9]+:[0-9]+' "$out/devices.txt" | grep -i 'gpu' | head -1 | awk '{print $3}')
  [ -n "$device" ] || device=0:0
fi
grep -qE "device: tornadovm $device " "$out/devices.txt" || { echo "run.sh: TornadoVM lists no device $device (see $out/devices.txt)"; cat "$out/devices.txt" | tail -5; exit 1; }
echo "== using device $device"

status=0
result() { echo "$1"; case "$1" in FAIL*) status=1 ;; esac; echo "$1" >> "$out/summary.txt"; }
: > "$out/summary.txt"

# (a) the kernel tests against the CPU backend, on the device.
if [ -z "$only" ] || [ "$only" = a ]; then
  tests=(KernelsTest PeakTest CaptureTest)
  [ "$quick" = 1 ] || tests+=(GptTrainingTest)
  echo "== (a) selfcheck: ${tests[*]} on $device"
  "$java" "@$argfile" -Dtornado.recover.bailout=False -Xmx6g -Djava.util.logging.config.file=/dev/null \
    -Dnanolab.tornadovm.device="$device" -Dnanolab.tornadovm.peakCache="$out/peak.properties" \
    -cp "$home/selfcheck/*:$nl/lib/*:$nl/plugins/*" dev.nanolab.tornadovm.SelfCheck "${tests[@]}" > "$out/selfcheck.log" 2>&1
  rc=$?
  grep -E '^selfcheck ' "$out/selfcheck.log" | grep -v SUCCESSFUL | head -20
  line=$(grep -E '^selfcheck: ' "$out/selfcheck.log" | tail -1)
  [ $rc = 0 ] && result "PASS (a) kernel tests vs CPU: ${line#selfcheck: }" || result "FAIL (a) kernel tests vs CPU: ${line:-no summary (crashed? see $out/selfcheck.log)}"
fi

# Training runs: cpu-demo and shakespeare-char, each on the device and on the CPU, same seed and data.
train() { # NAME PRESET BACKEND [--set ...]
  local name=$1 preset=$2 be=$3; shift 3
  local dev=(); [ "$be" = tornadovm ] && dev=(--device "$device")
  rm -rf "$out/$name"
  nanolab train --preset "$preset" --backend "$be" "${dev[@]}" --set dataset="text:$home/text/corpus.txt" \
    --set train.max_iters="$steps" --set train.eval_interval=100000 --set train.eval_iters=1 --set train.log_interval=1 \
    --set train.progress_bar=false --set out_dir="$out/$name" "$@" > "$out/$name.log" 2>&1
}
shakes=(); [ "$quick" = 1 ] && shakes=(--set train.batch_size=4 --set model.block_size=64)
compare() { # PRESET: max |loss difference| over the steps; PASS below 2e-3 (float sums in another order, a few steps)
  python3 - "$out/$1-tvm/metrics.jsonl" "$out/$1-cpu/metrics.jsonl" "$1" <<'PY'
import json, os, sys
for p in sys.argv[1:3]:
    if not os.path.exists(p):
        print(f"FAIL (b) {sys.argv[3]}: {p} was not written (the run failed; see its .log)"); sys.exit(1)
def losses(p):
    return {r["iter"]: r["loss"] for r in map(json.loads, open(p)) if r.get("type") == "train"}
a, b = losses(sys.argv[1]), losses(sys.argv[2])
common = sorted(set(a) & set(b))
if not common:
    print(f"FAIL (b) {sys.argv[3]}: no training steps to compare"); sys.exit(1)
worst = max(abs(a[i] - b[i]) for i in common)
ok = worst < 2e-3
print(f"{'PASS' if ok else 'FAIL'} (b) {sys.argv[3]} losses, device vs CPU over {len(common)} steps: worst |diff| {worst:.2e}"
      f" (first {a[common[0]]:.4f}/{b[common[0]]:.4f}, last {a[common[-1]]:.4f}/{b[common[-1]]:.4f})")
PY
}
if [ -z "$only" ] || [ "$only" = b ] || [ "$only" = c ]; then
  echo "== (b) training $steps steps: cpu-demo and shakespeare-char${shakes[*]:+ (${shakes[*]})} on $device and on the CPU"
  for p in cpu-demo shakespeare-char; do
    extra=(); [ "$p" = shakespeare-char ] && extra=("${shakes[@]}")
    train "$p-tvm" "$p" tornadovm "${extra[@]}" || result "FAIL (b) $p on $device: $(grep -m1 -iE 'error|exception' "$out/$p-tvm.log" | cut -c1-200)"
    if [ -z "$only" ] || [ "$only" = b ]; then
      train "$p-cpu" "$p" cpu "${extra[@]}" || result "FAIL (b) $p on the CPU: $(grep -m1 -iE 'error|exception' "$out/$p-cpu.log" | cut -c1-200)"
      r=$(compare "$p"); result "$r"
    fi
    grep -m1 'MFU is quoted against' "$out/$p-tvm.log" | sed 's/^/   /'
  done
fi

# (c) a shakespeare-char step: nanolab on the device against PyTorch eager on the same GPU.
if [ -z "$only" ] || [ "$only" = c ]; then
  echo "== (c) speed: shakespeare-char step, nanolab TornadoVM vs PyTorch eager"
  ms_nl=$(python3 - "$out/shakespeare-char-tvm/metrics.jsonl" <<'PY'
import json, sys, statistics
ms = [r["ms"] for r in map(json.loads, open(sys.argv[1])) if r.get("type") == "train" and r["iter"] >= 3]
print(f"{statistics.median(ms):.1f}" if ms else "")
PY
)
  if [ -z "$ms_nl" ]; then result "FAIL (c) no timed nanolab steps (need --steps >= 4; see $out/shakespeare-char-tvm.log)"
  elif ! python3 -c 'import torch' 2>/dev/null; then result "SKIP (c) nanolab ${ms_nl} ms/step; PyTorch is not installed here"
  else
    vocab=$(python3 -c "import sys; print(len(set(open(sys.argv[1], encoding='utf-8').read())))" "$home/text/corpus.txt")
    targs=(); [ "$quick" = 1 ] && targs=(--batch 4 --block 64)
    python3 "$home/nanogpt_bench.py" --vocab "$vocab" --steps 20 "${targs[@]}" > "$out/torch.log" 2>&1
    ms_pt=$(sed -n 's/^torch ms\/step \([0-9.]*\).*/\1/p' "$out/torch.log")
    if [ -z "$ms_pt" ]; then result "FAIL (c) the PyTorch benchmark failed: $(tail -1 "$out/torch.log")"
    else
      result "$(python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'INFO (c) shakespeare-char step: nanolab TornadoVM {a:.1f} ms, PyTorch eager {b:.1f} ms ({sys.argv[3]}): ratio nanolab/PyTorch {a/b:.2f}')" "$ms_nl" "$ms_pt" "$(sed -n 's/^torch device //p' "$out/torch.log")")"
    fi
  fi
fi
echo "== summary ($out/summary.txt)"; cat "$out/summary.txt"
exit $status
