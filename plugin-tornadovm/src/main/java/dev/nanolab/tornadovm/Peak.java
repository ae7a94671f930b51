package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.DType;
import dev.nanolab.api.backend.Storage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import uk.ac.manchester.tornado.api.TornadoTargetDevice;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;

/**
 * The device's own float32 peak, for MFU ({@code Backend.peakFlops}). Two figures, the larger wins:
 * <ul>
 *   <li><b>specification</b>, from the device's properties: compute units × max clock × FP32 lanes per compute unit ×
 *       2 (an FMA is two FLOPs). TornadoVM exposes compute units (an NVIDIA GPU's SMs) and the clock, not the lanes, so
 *       the lanes come from a table of NVIDIA GPU names (128 per SM on Hopper, Ada, Ampere GA10x, Blackwell; 64 on
 *       A100/A30, Volta, Turing); other devices (CPUs through PoCL, other GPUs) have no specification figure;</li>
 *   <li><b>measured</b>: {@code KPeak.peakFma}, 8 independent FMA chains per thread over a full grid, the best of a few
 *       timed runs. Cached per device (name, compute units, clock) in {@code ~/.cache/nanolab/tornadovm-peak.properties}
 *       ({@code -Dnanolab.tornadovm.peakCache=FILE} elsewhere), so a run measures once per machine.</li>
 * </ul>
 * MFU against the larger of a true specification and a measurement cannot exceed 100% unless the kernels beat both.
 * {@link #describe} says which figure was used; the backend prints it when the trainer asks for the peak.
 */
final class Peak {
    final double flops;
    final String source;

    private Peak(double flops, String source) {
        this.flops = flops;
        this.source = source;
    }

    /** FP32 lanes per SM by NVIDIA product name, or 0 when the name is not known. */
    static int nvidiaLanesPerSm(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (!n.contains("NVIDIA") && !n.matches(".*\\b(H100|H200|H20|A100|A30|V100|T4|L4|L40S?|A10|A40)\\b.*")) return 0;
        if (n.matches(".*\\b(A100|A30|V100|T4|TITAN V|QUADRO RTX|RTX 20\\d\\d)\\b.*")) return 64;
        if (n.matches(".*\\b(GH200|H100|H200|H800|H20|L4|L40S?|A10|A40|A16|A2|RTX \\d*(30|40|50)\\d\\d|B100|B200|GB200|RTX PRO \\d+)\\b.*"))
            return 128;
        return 0;
    }

    /** The specification figure from the device's properties, or NaN when there is none. */
    static double specification(TornadoDevice dev, StringBuilder why) {
        try {
            TornadoTargetDevice phys = dev.getPhysicalDevice();
            int units = phys.getDeviceMaxComputeUnits();
            double clockHz = phys.getDeviceMaxClockFrequency();
            // CUDA reports the clock in kHz, OpenCL in MHz.
            clockHz *= dev.getTornadoVMBackend() == TornadoVMBackendType.PTX ? 1e3 : 1e6;
            int lanes = nvidiaLanesPerSm(dev.getDeviceName() + " " + phys.getDeviceName());
            if (lanes == 0 || units <= 0 || clockHz <= 0) return Double.NaN;
            why.append(String.format(Locale.ROOT, "%d SMs × %d FP32 lanes × 2 × %.0f MHz", units, lanes, clockHz / 1e6));
            return units * (double) lanes * 2 * clockHz;
        } catch (RuntimeException | LinkageError e) {
            return Double.NaN;
        }
    }

    static String cacheKey(TornadoDevice dev) {
        String key;
        try {
            TornadoTargetDevice phys = dev.getPhysicalDevice();
            key = dev.getTornadoVMBackend() + " " + dev.getDeviceName() + " cu" + phys.getDeviceMaxComputeUnits() + " clk"
                    + phys.getDeviceMaxClockFrequency();
        } catch (RuntimeException | LinkageError e) {
            key = dev.getTornadoVMBackend() + " " + dev.getDeviceName();
        }
        return key.replaceAll("[^A-Za-z0-9_.-]+", "_");
    }

    static Path cacheFile() {
        String p = System.getProperty("nanolab.tornadovm.peakCache");
        return p != null ? Path.of(p) : Path.of(System.getProperty("user.home"), ".cache", "nanolab", "tornadovm-peak.properties");
    }

    /** The peak for the backend's device: the larger of the specification and the (cached) measurement. */
    static Peak of(TornadoBackend be, Engine engine) {
        TornadoDevice dev = engine.device();
        StringBuilder why = new StringBuilder();
        double spec = specification(dev, why);
        String key = cacheKey(dev);
        Path file = cacheFile();
        Properties cache = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                cache.load(in);
            } catch (IOException | IllegalArgumentException e) {
                cache.clear();
            }
        }
        double measured = Double.NaN;
        boolean cached = false;
        String hit = cache.getProperty(key);
        if (hit != null) {
            try {
                measured = Double.parseDouble(hit);
                cached = measured > 0;
            } catch (NumberFormatException ignored) {
                // measure again
            }
        }
        if (!cached) {
            measured = measure(be, engine);
            cache.setProperty(key, Double.toString(measured));
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                try (OutputStream out = Files.newOutputStream(file)) {
                    cache.store(out, "nanolab TornadoVM backend: measured FMA peak FLOP/s per device (KPeak.peakFma)");
                }
            } catch (IOException | RuntimeException e) {
                // not cached: measured again next run
            }
        }
        String m = String.format(Locale.ROOT, "measured FMA peak %.1f GFLOP/s (%s)", measured / 1e9,
                cached ? "cached in " + file : "KPeak.peakFma, now cached in " + file);
        if (!Double.isNaN(spec) && spec >= measured)
            return new Peak(spec, String.format(Locale.ROOT, "specification %.1f GFLOP/s (%s; %s)", spec / 1e9, why, m));
        if (!Double.isNaN(spec))
            return new Peak(measured, m + String.format(Locale.ROOT, ", above the specification %.1f GFLOP/s (%s)", spec / 1e9, why));
        return new Peak(measured, m + ", no specification figure for this device");
    }

    /**
     * Times {@code KPeak.peakFma} over a full grid: doubles the iterations until a run takes 50 ms (from a first call that
     * also compiles the kernel), then keeps the best of 3 runs. Each run ends with a read, so it is waited for.
     */
    static double measure(TornadoBackend be, Engine engine) {
        int threads = KernelCall.MAX_GROUPS * KernelCall.WG;
        Storage out = be.memory().allocate(DType.F32, threads);
        try {
            int base = be.memory().at(out, DType.F32, 0, threads);
            float[] sink = new float[1];
            int iters = 16;
            double best = 0;
            run(be, engine, out, base, iters, threads, sink); // compiles
            for (int round = 0; round < 40; round++) {
                double secs = run(be, engine, out, base, iters, threads, sink);
                if (secs < 0.05 && iters < (1 << 24)) {
                    iters *= 2;
                    continue;
                }
                best = Math.max(best, 16.0 * threads * iters / secs);
                if (round >= 3 && best > 0) {
                    for (int k = 0; k < 2; k++) best = Math.max(best, 16.0 * threads * iters / run(be, engine, out, base, iters, threads, sink));
                    break;
                }
            }
            if (!(best > 0)) throw new IllegalStateException("tornadovm: the FMA peak measurement gave no timing");
            return best;
        } finally {
            be.memory().release(out);
        }
    }

    private static double run(TornadoBackend be, Engine engine, Storage out, int base, int iters, int threads, float[] sink) {
        long t0 = System.nanoTime();
        engine.launch(new KernelCall(Kernel.PEAK_FMA, KernelCall.ints(base, iters, threads), new float[0],
                threads, 1, KernelCall.WG, 1));
        be.memory().read(out, 0, sink, 0, 1);
        return (System.nanoTime() - t0) / 1e9;
    }

    String describe() {
        return String.format(Locale.ROOT, "%.1f GFLOP/s, %s", flops / 1e9, source);
    }
}
