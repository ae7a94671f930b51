#!/bin/bash
# Builds the TornadoVM device bundle: a folder (and a .tar.xz of it, at most 64 MiB) that runs nanolab's TornadoVM
# checks on a machine with a GPU and no Java: a jlink'ed Java 25 runtime, a pruned TornadoVM SDK (PTX and OpenCL),
# nanolab's distribution, the plugin's tests with a JUnit launcher (SelfCheck), a small PyTorch nanoGPT timing script,
# a training text, and run.sh. See docs/tornadovm.md §7.
#
#   plugin-tornadovm/bundle/make-bundle.sh [--sdk DIR] [--out DIR] [--jdk DIR] [--online]
#
#   --sdk DIR  the TornadoVM SDK to ship (default: $TORNADOVM_HOME); build it with sdk/build-sdk.sh --backends opencl,ptx
#   --out DIR  where the folder nanolab-bundle/ and nanolab-bundle.tar.xz go (default: target/bundle under this module)
#   --jdk DIR  the JDK 25 whose jlink makes the runtime (default: the one ./mvnw finds)
#   --online   let Maven download what is missing (default: offline, -o, from the local repository)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
sdk="${TORNADOVM_HOME-}"
out="$root/plugin-tornadovm/target/bundle"
jdk=""
offline=-o
while [ $# -gt 0 ]; do
  case "$1" in
    --sdk) sdk="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --jdk) jdk="$2"; shift 2 ;;
    --online) offline=""; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "make-bundle: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
die() { echo "make-bundle: $*" >&2; exit 1; }
[ -n "$sdk" ] || die "no TornadoVM SDK: give --sdk DIR or set TORNADOVM_HOME"
sdk=$(cd "$sdk" && pwd) || die "SDK folder not found"
[ -f "$sdk/tornado-argfile.template" ] || die "$sdk has no tornado-argfile.template (not an SDK made by sdk/build-sdk.sh?)"
[ -n "$jdk" ] || jdk=$("$root/.mvn/find-jdk") || die "no JDK 25 found; give --jdk DIR"
[ -x "$jdk/bin/jlink" ] || die "$jdk has no bin/jlink"
ls "$sdk"/lib/libtornado-ptx.so >/dev/null 2>&1 || echo "make-bundle: warning: $sdk has no PTX backend (lib/libtornado-ptx.so); the bundle will only run OpenCL devices" >&2

b="$out/nanolab-bundle"
rm -rf "$b" "$out/nanolab-bundle.tar.xz"
mkdir -p "$b"

echo "make-bundle: building nanolab with the SDK (distribution, plugin tests) ..." >&2
# One offline reactor build: the distribution (TORNADOVM_HOME switches plugin-tornadovm on) and the plugin's test
# classes, and the test class path for SelfCheck.
# (Each module writes its own class path file; plugin-tornadovm's is the one used.)
cp_file="$root/plugin-tornadovm/target/test-classpath.txt"
rm -f "$cp_file"
(cd "$root" && TORNADOVM_HOME="$sdk" ./mvnw -q -B $offline package -DskipTests -Dmaven.test.skip.exec=true \
   -pl distribution,plugin-tornadovm -am dependency:build-classpath -Dmdep.includeScope=test \
   -Dmdep.outputFile=target/test-classpath.txt) || die "the build failed; run it without -q to see why"
[ -f "$cp_file" ] || die "no test class path written to $cp_file"
dist="$root/distribution/target/nanolab"
[ -f "$dist/plugins/plugin-tornadovm-0.1.0-SNAPSHOT.jar" ] || die "the distribution has no plugin-tornadovm jar"
cp -r "$dist" "$b/nanolab"
rm -f "$b/nanolab/.built"

# The tests and their libraries (JUnit platform, Jupiter, AssertJ); nanolab's own jars come from the distribution.
mkdir -p "$b/selfcheck"
(cd "$root/plugin-tornadovm/target/test-classes" && "$jdk/bin/jar" --create --file "$b/selfcheck/plugin-tornadovm-tests.jar" .)
tr ':' '\n' < "$cp_file" | while read -r e; do
  case "$e" in
    *.jar) case "$(basename "$e")" in
             junit-*|opentest4j-*|apiguardian-*|assertj-*|byte-buddy-*) cp "$e" "$b/selfcheck/" ;;
           esac ;;
  esac
done
ls "$b/selfcheck"/junit-platform-launcher-*.jar >/dev/null 2>&1 || die "junit-platform-launcher is not on the test class path"

echo "make-bundle: jlink ..." >&2
# java.desktop: the reporting module (XChart) is in the boot layer; java.sql, java.compiler: optional library needs
# jdeps reports; jdk.management: Graal's compiler module; jdk.internal.vm.ci: JVMCI, which TornadoVM runs on.
# Uncompressed (zip-0): xz compresses the whole bundle better than jlink's zip would.
mods=java.base,java.logging,java.management,jdk.management,jdk.internal.vm.ci,jdk.unsupported,jdk.incubator.vector,java.desktop,java.sql,java.compiler,java.naming,jdk.crypto.ec,jdk.zipfs
"$jdk/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress=zip-0 --output "$b/jre"

echo "make-bundle: TornadoVM SDK (pruned) ..." >&2
t="$b/tornadovm"
mkdir -p "$t/share/java"
cp -r "$sdk/lib" "$sdk/etc" "$t/"
cp "$sdk/tornado-argfile.template" "$t/"
[ -f "$sdk/NANOLAB-SDK-BUILD.txt" ] && cp "$sdk/NANOLAB-SDK-BUILD.txt" "$t/"
cp -r "$sdk/share/java/graalJars" "$t/share/java/"
mkdir -p "$t/share/java/tornado"
for j in "$sdk"/share/java/tornado/*.jar; do
  case "$(basename "$j")" in
    # Tests, benchmarks, examples, fuzzing, the CUDA library bindings and the libraries only they use are not needed to
    # run kernels. log4j-core must go: nanolab's launcher adds ALL-MODULE-PATH, and log4j-core requires java.scripting
    # and java.rmi, which the runtime does not have (no TornadoVM module requires log4j-core).
    tornado-unittests-*|tornado-benchmarks-*|tornado-examples-*|tornado-fuzz-*|tornado-matrices-*|tornado-cu*|junit-*|hamcrest-*|jmh-*|jopt-*|lucene-*|ejml-*|log4j-core-*|commons-lang3-*) ;;
    *) cp "$j" "$t/share/java/tornado/" ;;
  esac
done
# The OpenCL ICD loader the OpenCL JNI library links against, for a GPU machine that has the NVIDIA driver but no
# loader installed (the driver's own OpenCL ICD, if registered in /etc/OpenCL/vendors, is what it then finds).
for l in /usr/lib/x86_64-linux-gnu/libOpenCL.so.1 /lib/x86_64-linux-gnu/libOpenCL.so.1; do
  [ -f "$l" ] && { mkdir -p "$b/ocl"; cp -L "$l" "$b/ocl/"; break; }
done

echo "make-bundle: scripts and data ..." >&2
cp "$here/run.sh" "$here/nanogpt_bench.py" "$b/"
chmod +x "$b/run.sh"
mkdir -p "$b/text"
# A training text that needs no download: this repository's docs and READMEs (a few hundred KB of English).
cat "$root"/README.md "$root"/docs/*.md > "$b/text/corpus.txt"
git -C "$root" rev-parse HEAD > "$b/NANOLAB-COMMIT" 2>/dev/null || echo unknown > "$b/NANOLAB-COMMIT"

echo "make-bundle: compressing ..." >&2
(cd "$out" && tar -cf - nanolab-bundle | xz -T2 -6 > nanolab-bundle.tar.xz)
size=$(stat -c %s "$out/nanolab-bundle.tar.xz")
du -sh "$b" "$b"/* | sed 's/^/make-bundle: /' >&2
printf 'make-bundle: %s (%.1f MiB compressed, limit 64 MiB)\n' "$out/nanolab-bundle.tar.xz" "$(echo "$size / 1048576" | bc -l)"
[ "$size" -le $((64 * 1024 * 1024)) ] || die "the bundle is over 64 MiB compressed"
