#!/usr/bin/env bash
# Builds a TornadoVM SDK for nanolab's TornadoVM backend (docs/tornadovm.md, section 1) from a TornadoVM source
# folder that YOU supply. It never downloads TornadoVM: get its source yourself (the `jdk25` branch of
# beehive-lab/TornadoVM). Maven resolves TornadoVM's build dependencies (and the Graal jars) from Maven Central as usual.
# CI never runs this script, and nothing it builds belongs in the nanolab repository.
#
# Usage: plugin-tornadovm/sdk/build-sdk.sh [options] --out DIR TORNADOVM_SOURCE
# Run with --help for the options.
set -euo pipefail

me=$(basename "$0")
here=$(cd "$(dirname "$0")" && pwd)
nanolab_root=$(cd "$here/../.." && pwd)

usage() {
  cat <<EOF
Usage: $me [options] --out DIR TORNADOVM_SOURCE

Builds a TornadoVM SDK (TornadoVM's jdk25 branch, 5.2.1-jdk25-dev) from TORNADOVM_SOURCE into DIR, with the files
nanolab needs: tornado-argfile and tornado-argfile-nanolab. Then: export TORNADOVM_HOME=DIR.

TORNADOVM_SOURCE  a TornadoVM source folder (its jdk25 branch), or, with --ref, a git repository holding it.
                  It is not modified: the build runs on a copy in a work folder.

Options:
  --out DIR           where the SDK goes (required; must not exist or be empty, unless --force)
  --backends LIST     opencl (default), ptx, or both: opencl,ptx (ptx,opencl makes PTX backend 0)
  --ref REF           TORNADOVM_SOURCE is a git repository (bare or not): export commit/branch REF (e.g. jdk25)
                      with 'git archive'. Files whose content the repository lacks are left out (one known case:
                      tornado-benchmarks/src/main/resources/bcsstk32.mtx, benchmark data the SDK does not need).
  --jdk DIR           JDK 25 to build with (default: JAVA_HOME if it is a JDK 25, else the JDK that nanolab's
                      .mvn/find-jdk finds)
  --maven CMD         Maven >= 3.9 (default: nanolab's ./mvnw, which brings Maven 3.9; else 'mvn' on PATH)
  --cuda DIR          CUDA toolkit for the PTX backend (default: \$CUDA_HOME, else /usr/local/cuda)
  --work DIR          build folder, new or empty (default: a new temporary folder, deleted after a successful build);
                      a --work folder is kept, and reused by the next run given it
  --keep-work         keep the temporary build folder
  --force             replace DIR if it exists
  --check             only check the prerequisites, build nothing
  -h, --help          this text
  -- MAVEN_ARGS...    more arguments for TornadoVM's Maven build (e.g. -- -T1 on a busy machine)

Prerequisites (checked first, one line each): JDK 25, Maven >= 3.9, python3, cmake and a C++ compiler;
for OpenCL the OpenCL headers and the ICD loader (Debian/Ubuntu: opencl-headers ocl-icd-opencl-dev), and at run time
an OpenCL driver (e.g. pocl-opencl-icd on a CPU); for PTX the CUDA toolkit (cuda.h, nvcc, libcudart) and libcuda to
link against: the toolkit's stub, the driver's library, or, on a machine without either, a link-only stub that this
script generates from cuda.h (the SDK then runs only where the NVIDIA driver is installed).
EOF
}

die() { echo "$me: $*" >&2; exit 1; }

src="" out="" backends="opencl" ref="" jdk="" mvn_cmd="" cuda_home="${CUDA_HOME:-/usr/local/cuda}"
work="" keep_work=0 force=0 check_only=0
extra_mvn=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --backends) backends=${2:?--backends needs a list}; shift 2 ;;
    --backends=*) backends=${1#*=}; shift ;;
    --ref) ref=${2:?--ref needs a commit or branch}; shift 2 ;;
    --ref=*) ref=${1#*=}; shift ;;
    --jdk) jdk=${2:?--jdk needs a folder}; shift 2 ;;
    --jdk=*) jdk=${1#*=}; shift ;;
    --maven) mvn_cmd=${2:?--maven needs a command}; shift 2 ;;
    --maven=*) mvn_cmd=${1#*=}; shift ;;
    --cuda) cuda_home=${2:?--cuda needs a folder}; shift 2 ;;
    --cuda=*) cuda_home=${1#*=}; shift ;;
    --work) work=${2:?--work needs a folder}; shift 2 ;;
    --work=*) work=${1#*=}; shift ;;
    --keep-work) keep_work=1; shift ;;
    --force) force=1; shift ;;
    --check) check_only=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra_mvn=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$src" ] || die "one source folder only (got '$src' and '$1')"; src=$1; shift ;;
  esac
done
[ -n "$src" ] || { usage >&2; exit 2; }
abspath() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$(pwd)/$1" ;; esac; }
src=$(abspath "$src"); cuda_home=$(abspath "$cuda_home")
[ -z "$jdk" ] || jdk=$(abspath "$jdk")
[ -n "$out" ] || [ "$check_only" = 1 ] || die "--out DIR is required (see --help)"

# --- backends: opencl, ptx, or both, in the order given (the first is TornadoVM's backend 0) -----------------------
[ "$backends" = both ] && backends=opencl,ptx
want_opencl=0 want_ptx=0 profiles="" backend_list=""
IFS=, read -r -a _bs <<<"$backends"
for b in "${_bs[@]}"; do
  case "$b" in
    opencl) [ "$want_opencl" = 0 ] || continue; want_opencl=1 ;;
    ptx) [ "$want_ptx" = 0 ] || continue; want_ptx=1 ;;
    *) die "--backends: '$b' is not opencl or ptx" ;;
  esac
  profiles="${profiles:+$profiles,}$b-backend"
  backend_list="${backend_list:+$backend_list,}$b"
done
[ -n "$backend_list" ] || die "--backends: nothing selected"
# TornadoVM names the SDK after the sorted backend list (opencl, ptx, opencl-ptx).
variant=$(tr , '\n' <<<"$backend_list" | sort | paste -sd- -)

# --- prerequisites: one line each ------------------------------------------------------------------------------------
failed=0
ok() { printf 'check: %-36s ok (%s)\n' "$1" "$2"; }
bad() { printf 'check: %-36s MISSING: %s\n' "$1" "$2"; failed=1; }

# The source: a folder with TornadoVM's jdk25 build, or a git repository with --ref.
if [ -n "$ref" ]; then
  if ! git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
    bad "TornadoVM source (git, --ref $ref)" "$src is not a git repository"
  elif ! git -C "$src" cat-file -e "$ref^{commit}" 2>/dev/null; then
    bad "TornadoVM source (git, --ref $ref)" "$src has no commit or branch '$ref'"
  elif ! git -C "$src" cat-file -p "$ref:pom.xml" 2>/dev/null | grep -q '<id>jdk25</id>'; then
    bad "TornadoVM source (git, --ref $ref)" "its pom.xml has no jdk25 profile: use TornadoVM's jdk25 branch"
  else
    ok "TornadoVM source (git, --ref $ref)" "$(git -C "$src" rev-parse --short "$ref^{commit}") in $src"
  fi
elif [ ! -f "$src/pom.xml" ] || [ ! -d "$src/tornado-assembly" ]; then
  bad "TornadoVM source folder" "$src has no pom.xml and tornado-assembly/ (give TornadoVM's source folder, or a git repository with --ref)"
elif ! grep -q '<id>jdk25</id>' "$src/pom.xml"; then
  bad "TornadoVM source folder" "its pom.xml has no jdk25 profile: use TornadoVM's jdk25 branch"
else
  ok "TornadoVM source folder" "$src"
fi

# JDK 25
jdk_major() { # JDK home -> feature version, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}
if [ -z "$jdk" ]; then
  if [ -n "${JAVA_HOME-}" ] && [ "$(jdk_major "$JAVA_HOME")" = 25 ]; then jdk=$JAVA_HOME
  elif [ -x "$nanolab_root/.mvn/find-jdk" ]; then jdk=$(NANOLAB_JAVA_HOME="" "$nanolab_root/.mvn/find-jdk" 2>/dev/null || true)
  fi
fi
if [ -n "$jdk" ] && [ "$(jdk_major "$jdk")" = 25 ]; then
  ok "JDK 25" "$jdk"
else
  bad "JDK 25" "${jdk:-none found}${jdk:+ is not a JDK 25}; install a JDK 25 (e.g. Temurin 25) and pass --jdk DIR"
fi

# Maven >= 3.9 (a cmake plugin of TornadoVM's needs it, and older Maven cannot read its .mvn/maven.config comments)
if [ -z "$mvn_cmd" ]; then
  if [ -x "$nanolab_root/mvnw" ]; then mvn_cmd="$nanolab_root/mvnw"; else mvn_cmd=mvn; fi
fi
mvn_version=$(cd / && JAVA_HOME="$jdk" NANOLAB_JAVA_HOME="$jdk" $mvn_cmd -v 2>/dev/null \
  | sed -n 's/^Apache Maven \([0-9][0-9.]*\).*/\1/p' | head -n 1 || true)
if [ -n "$mvn_version" ] && printf '3.9\n%s\n' "$mvn_version" | sort -C -V; then
  ok "Maven >= 3.9" "$mvn_version: $mvn_cmd"
else
  bad "Maven >= 3.9" "'$mvn_cmd' ${mvn_version:+is $mvn_version}${mvn_version:-did not run}; pass --maven CMD"
fi

if command -v python3 >/dev/null 2>&1; then ok "python3" "$(command -v python3)"
else bad "python3" "TornadoVM's launcher and argfile generator are Python 3 (Debian: python3)"; fi
if command -v cmake >/dev/null 2>&1; then ok "cmake" "$(cmake --version | head -n 1)"
else bad "cmake" "the JNI libraries build with CMake (Debian: cmake)"; fi
cxx=${CXX:-c++}
if command -v "$cxx" >/dev/null 2>&1; then ok "C/C++ compiler" "$(command -v "$cxx")"
else bad "C/C++ compiler" "no '$cxx' (Debian: build-essential)"; fi
cc=${CC:-cc}

try_cc() { # compile (and link) a C snippet from stdin
  command -v "$cc" >/dev/null 2>&1 || return 1
  local t; t=$(mktemp -d); "$cc" -x c - -o "$t/a.out" "$@" >/dev/null 2>&1 && rm -rf "$t" && return 0; rm -rf "$t"; return 1
}
if [ "$want_opencl" = 1 ]; then
  if printf '#define CL_TARGET_OPENCL_VERSION 300\n#include <CL/cl.h>\n' | try_cc -c; then ok "OpenCL headers" "CL/cl.h"
  else bad "OpenCL headers" "no CL/cl.h (Debian/Ubuntu: opencl-headers)"; fi
  if printf '#define CL_TARGET_OPENCL_VERSION 300\n#include <CL/cl.h>\nint main(void){cl_uint n;return (int)clGetPlatformIDs(0,0,&n);}\n' | try_cc -lOpenCL; then
    ok "OpenCL ICD loader (libOpenCL)" "links"
  else bad "OpenCL ICD loader (libOpenCL)" "cannot link -lOpenCL (Debian/Ubuntu: ocl-icd-opencl-dev)"; fi
fi

cuda_stub=""  # set when a link-only libcuda must be generated
if [ "$want_ptx" = 1 ]; then
  if [ -f "$cuda_home/include/cuda.h" ]; then ok "CUDA headers" "$cuda_home/include/cuda.h"
  else bad "CUDA headers" "no $cuda_home/include/cuda.h (install the CUDA toolkit; pass --cuda DIR)"; fi
  if [ -x "$cuda_home/bin/nvcc" ]; then ok "CUDA nvcc (CMake finds CUDA by it)" "$cuda_home/bin/nvcc"
  else bad "CUDA nvcc (CMake finds CUDA by it)" "no $cuda_home/bin/nvcc"; fi
  if ls "$cuda_home"/lib64/libcudart.so* >/dev/null 2>&1 || ls "$cuda_home"/targets/*/lib/libcudart.so* >/dev/null 2>&1; then
    ok "CUDA runtime (libcudart)" "$cuda_home"
  else bad "CUDA runtime (libcudart)" "no libcudart.so under $cuda_home"; fi
  if [ -f "$cuda_home/lib64/stubs/libcuda.so" ]; then ok "libcuda (to link)" "toolkit stub $cuda_home/lib64/stubs/libcuda.so"
  elif printf 'int main(void){return 0;}\n' | try_cc -lcuda; then ok "libcuda (to link)" "the installed NVIDIA driver's"
  elif [ -f "$cuda_home/include/cuda.h" ]; then
    cuda_stub=1; ok "libcuda (to link)" "none here: a link-only stub will be generated from cuda.h; the SDK needs the NVIDIA driver to run"
  else bad "libcuda (to link)" "no driver, no toolkit stub, and no cuda.h to generate one from"; fi
fi

if [ -n "$out" ] && [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ] && [ "$force" = 0 ]; then
  bad "output folder" "$out exists and is not empty (use --force to replace it)"
fi
[ "$failed" = 0 ] || die "prerequisites missing (above); nothing was built"
[ "$check_only" = 0 ] || { echo "$me: all prerequisites found"; exit 0; }

out=$(abspath "$out"); out=${out%/}
case "$out" in
  ""|/|"$HOME"|"$src"|"$src"/*|"$nanolab_root"|"$nanolab_root"/*) die "--out $out: choose a folder of its own, outside the source and this repository" ;;
esac

# --- the work folder: a copy of the source ----------------------------------------------------------------------------
# A --work folder must be new, empty, or one this script made before (it is reused, never deleted); the default one is
# a temporary folder, deleted after a successful build unless --keep-work.
marker=.nanolab-build-sdk-work
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/tornadovm-sdk-build.XXXXXX")
else
  work=$(abspath "$work"); keep_work=1
  if [ -d "$work" ] && [ -n "$(ls -A "$work")" ] && [ ! -f "$work/$marker" ]; then
    die "--work $work is not empty and was not made by this script; give a new or empty folder"
  fi
  mkdir -p "$work"
fi
work=$(cd "$work" && pwd)
touch "$work/$marker"
tree="$work/TornadoVM"
on_exit() {
  rc=$?
  if [ "$rc" != 0 ]; then echo "$me: failed (exit $rc); the build folder is kept: $work" >&2
  elif [ "$keep_work" = 0 ]; then rm -rf "$work"; fi
}
trap on_exit EXIT
rm -rf "$tree"; mkdir -p "$tree"
start=$(date +%s)
if [ -n "$ref" ]; then
  # Paths whose blobs the repository lacks would make 'git archive' fail: leave them out, saying which.
  excludes=()
  while IFS=$'\t' read -r sha path; do
    excludes+=(":(exclude)$path"); echo "note: the repository lacks $path; exported without it"
  done < <(join -t $'\t' \
             <(git -C "$src" ls-tree -r "$ref" | awk -F '\t' '{ split($1, m, " "); if (m[2] == "blob") print m[3] "\t" $2 }' | sort) \
             <(git -C "$src" ls-tree -r "$ref" | awk '$2 == "blob" { print $3 }' | sort -u \
                 | git -C "$src" cat-file --batch-check | awk '$2 == "missing" { print $1 }' | sort))
  echo "exporting $ref ($(git -C "$src" rev-parse --short "$ref^{commit}")) from $src to $tree"
  git -C "$src" archive --format=tar "$ref" -- . "${excludes[@]}" 2>/dev/null | tar -x -C "$tree"
else
  echo "copying $src to $tree"
  tar -C "$src" --exclude=./.git --exclude=./dist -cf - . | tar -x -C "$tree"
  find "$tree" -type d -name target -prune -exec rm -rf {} +
fi
[ -f "$tree/tornado-benchmarks/src/main/resources/bcsstk32.mtx" ] \
  || echo "note: no tornado-benchmarks/src/main/resources/bcsstk32.mtx: benchmark data only, the SDK does not need it"
cd "$tree"

export JAVA_HOME="$jdk" NANOLAB_JAVA_HOME="$jdk"
export PATH="$jdk/bin:$PATH"
mvn() { $mvn_cmd "$@"; }

# --- Graal jars: TornadoVM's bin/pull_graal_jars.py lists them; Maven fetches them from Maven Central ------------------
graal_version=$(sed -n 's#.*<graalvm.version>\(.*\)</graalvm.version>.*#\1#p' pom.xml | head -n 1)
[ -n "$graal_version" ] || die "no <graalvm.version> in TornadoVM's pom.xml"
mkdir -p graalJars
echo "Graal $graal_version jars -> graalJars/"
for p in $(sed -n 's#^ *f"\([a-z-]*\)/\([a-z-]*\)/{VERSION}/.*\.jar".*#\1:\2#p' bin/pull_graal_jars.py); do
  group=org.graalvm.${p%%:*} artifact=${p#*:}
  [ -f "graalJars/$artifact-$graal_version.jar" ] && continue
  if (cd "$work" && mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
        -Dartifact="$group:$artifact:$graal_version:jar" -DoutputDirectory="$tree/graalJars") > "$work/graal-jar.log" 2>&1; then
    echo "  $artifact-$graal_version.jar"
  elif [ "$artifact" = compiler-management ]; then
    # Not on Maven Central for 25.0.2; TornadoVM runs without it.
    echo "  note: $group:$artifact:$graal_version could not be fetched; TornadoVM does not need it"
  else
    cat "$work/graal-jar.log" >&2; die "could not fetch $group:$artifact:$graal_version (above)"
  fi
done
[ -f "graalJars/compiler-$graal_version.jar" ] || die "the Graal compiler jar could not be fetched"

# --- PTX on a machine without libcuda: a link-only stub ------------------------------------------------------------------
if [ "$want_ptx" = 1 ]; then
  export CUDAToolkit_ROOT="$cuda_home" PATH="$cuda_home/bin:$PATH"
  if [ -n "$cuda_stub" ]; then
    stubs="$work/link-stubs"; mkdir -p "$stubs"
    # Every driver API function cuda.h declares (after its _v2 renames), as a function that returns an error.
    printf '#include <cuda.h>\n' | "$cc" -E -P -I"$cuda_home/include" -x c - \
      | grep -o '\bcu[A-Z][A-Za-z0-9_]*[[:space:]]*(' | tr -d ' \t(' | sort -u \
      | sed 's/.*/int &(void) { return 999; }/' > "$stubs/cuda-stub.c"
    "$cc" -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$stubs/libcuda.so" "$stubs/cuda-stub.c"
    # The PTX library also links -lnvidia-ml; NVML is only used when nvml.h is there, so an empty stub serves.
    if ! printf 'int main(void){return 0;}\n' | try_cc -L"$cuda_home/lib64/stubs" -lnvidia-ml; then
      printf 'int nanolab_nvml_stub;\n' > "$stubs/nvml-stub.c"
      "$cc" -shared -fPIC -Wl,-soname,libnvidia-ml.so.1 -o "$stubs/libnvidia-ml.so" "$stubs/nvml-stub.c"
    fi
    export LIBRARY_PATH="$stubs${LIBRARY_PATH:+:$LIBRARY_PATH}"
    echo "generated link-only stubs (not part of the SDK): $(ls "$stubs"/*.so | xargs -n1 basename | paste -sd' ' -) ($(wc -l < "$stubs/cuda-stub.c") cuda functions)"
  fi
fi

# --- the build ---------------------------------------------------------------------------------------------------------
printf 'tornado.backends=%s\n' "$profiles" > tornado-assembly/src/etc/tornado.backend
echo "building: $mvn_cmd -B -Pjdk25,$profiles -Dtornado.backend=$variant install ${extra_mvn[*]-}"
mvn -B -Pjdk25,"$profiles" -Dtornado.backend="$variant" "${extra_mvn[@]}" install
built=$(date +%s)

sdk=""
for d in dist/*/ dist/*/*/; do
  [ -x "$d/bin/tornado" ] && [ -d "$d/share/java/tornado" ] && { sdk=${d%/}; break; }
done
[ -n "$sdk" ] || die "the build produced no SDK folder under $tree/dist"

# --- the SDK folder ----------------------------------------------------------------------------------------------------
[ "$force" = 1 ] && rm -rf "$out"
mkdir -p "$out"
cp -a "$sdk/." "$out/"
printf 'tornado.backends=%s\n' "$profiles" > "$out/etc/tornado.backend"

# tornado-argfile: TornadoVM's template with ${TORNADOVM_HOME} replaced; tornado-argfile-nanolab: without the '.' that
# upstream puts first on --module-path (it would shadow the SDK's modules with whatever lies in the working folder).
(cd "$out" && TORNADOVM_HOME="$out" python3 "$out/bin/gen-tornado-argfile-template.py" "$backend_list" "$out")
[ -f "$out/tornado-argfile.template" ] || die "gen-tornado-argfile-template.py wrote no tornado-argfile.template"
esc=$(printf '%s' "$out" | sed 's/[\\&#]/\\&/g')
sed "s#\${TORNADOVM_HOME}#$esc#g" "$out/tornado-argfile.template" > "$out/tornado-argfile"
sed 's#--module-path \.:#--module-path #' "$out/tornado-argfile" > "$out/tornado-argfile-nanolab"
grep -q -- "--module-path $out/share/java/tornado" "$out/tornado-argfile-nanolab" \
  || die "tornado-argfile-nanolab has no '--module-path $out/share/java/tornado' line: check $out/tornado-argfile"

{
  echo "TornadoVM SDK built by nanolab's plugin-tornadovm/sdk/build-sdk.sh on $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "source: $src${ref:+ (git $ref = $(git -C "$src" rev-parse "$ref^{commit}"))}"
  echo "backends: $backend_list (profiles jdk25,$profiles)"
  echo "jdk: $jdk"
  echo "maven: $mvn_version ($mvn_cmd)"
  [ -z "$cuda_stub" ] || echo "libcuda: linked against a generated stub; needs the NVIDIA driver at run time"
} > "$out/NANOLAB-SDK-BUILD.txt"

echo
echo "built in $((built - start)) s; SDK: $out ($(du -sh "$out" | cut -f1))"
if [ "$want_ptx" = 1 ] && [ -n "$cuda_stub" ]; then
  echo "note: PTX was linked against a stub libcuda; this SDK starts only on a machine with the NVIDIA driver."
fi
if [ -n "$cuda_stub" ]; then
  echo "devices: not listed ('tornado --devices' needs libcuda.so.1 from the NVIDIA driver, which this machine lacks)"
else
  echo "devices ('tornado --devices'):"
  (cd "$out" && TORNADOVM_HOME="$out" "$out/bin/tornado" --devices 2>&1 | sed 's/^/  /') \
    || echo "  (none listed: this machine may lack the device's driver; the SDK is built all the same)"
fi
echo
echo "export TORNADOVM_HOME=$out"
