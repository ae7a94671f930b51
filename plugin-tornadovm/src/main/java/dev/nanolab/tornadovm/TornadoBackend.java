package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.CapturedStep;
import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.Embeddings;
import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.Losses;
import dev.nanolab.api.backend.Norms;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.ext.ClippedSoftmaxKernels;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.api.backend.Pointwise;
import dev.nanolab.api.backend.Rotary;
import dev.nanolab.api.backend.Sequences;
import dev.nanolab.api.backend.Softmax;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

import java.util.Optional;

/**
 * The TornadoVM backend: storages are ranges of two device-resident arenas, kernels are TornadoVM-compiled Java
 * ({@code dev.nanolab.tornadovm.kernels}), each call runs at once (eager), and {@link #capture} turns a training step
 * into a few TaskGraphs replayed every step. See {@link Engine} for how.
 */
public final class TornadoBackend implements Backend {
    private final String deviceSpec;
    private final Engine engine;
    private final TornadoMemory memory;
    private final boolean captureEnabled;
    private final TornadoGemm gemm;
    private final TornadoPointwise pointwise;
    private final TornadoNorms norms;
    private final TornadoSoftmax softmax;
    private final TornadoAttention attention;
    private final TornadoLosses losses;
    private final TornadoMisc misc;
    private final TornadoRotary rotary;

    /**
     * @param device      TornadoVM device as "backend:device", e.g. "0:0"
     * @param floatMiB    size of the float32 arena
     * @param intMiB      size of the int32 arena
     * @param capture     whether {@link #capture} records steps into TaskGraphs (else steps run eagerly)
     * @param poison      fill new allocations with NaN / Integer.MIN_VALUE (tests)
     */
    public TornadoBackend(String device, int floatMiB, int intMiB, boolean capture, boolean poison) {
        this.deviceSpec = device;
        // Captured segments are large TaskGraphs: raise TornadoVM's per-graph bytecode buffer (4 KiB, ~60 tasks) before
        // its compiler reads the setting, unless the user chose a size. Engine splits segments to fit either way.
        if (System.getProperty("tornado.tvm.maxbytecodesize") == null) System.setProperty("tornado.tvm.maxbytecodesize", "65536");
        TornadoDevice dev = Devices.resolve(device);
        long floats = (long) floatMiB * (1 << 20) / Float.BYTES, ints = (long) intMiB * (1 << 20) / Integer.BYTES;
        if (floats > Integer.MAX_VALUE - 64 || ints > Integer.MAX_VALUE - 64)
            throw new IllegalArgumentException("tornadovm: arenas are limited to 2^31 elements (8 GiB)");
        this.engine = new Engine(dev, (int) floats, (int) Math.max(ints, TornadoMemory.RESERVED_INTS + 16));
        this.memory = new TornadoMemory(this, engine, poison);
        this.captureEnabled = capture;
        this.gemm = new TornadoGemm(this);
        this.pointwise = new TornadoPointwise(this);
        this.norms = new TornadoNorms(this);
        this.softmax = new TornadoSoftmax(this);
        this.attention = new TornadoAttention(this);
        this.losses = new TornadoLosses(this);
        this.misc = new TornadoMisc(this);
        this.rotary = new TornadoRotary(this);
    }

    /**
     * A backend on device 0:0 with small arenas, for tests. Captured segments compile on their first run (whatever
     * {@code nanolab.tornadovm.backgroundCompile} says), so tests see them from step 3 on; CaptureTest switches the
     * background mode on where it tests it.
     */
    public static TornadoBackend forTests(boolean poison) {
        TornadoBackend be = new TornadoBackend(System.getProperty("nanolab.tornadovm.device", "0:0"), 256, 16, true, poison);
        be.engine.backgroundCompile = false;
        return be;
    }

    Engine engine() {
        return engine;
    }

    @Override
    public String name() {
        return "tornadovm";
    }

    @Override
    public String device() {
        return "TornadoVM " + deviceSpec + " " + Devices.describe(engine.device());
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public TornadoMemory memory() {
        return memory;
    }

    @Override
    public Gemm gemm() {
        return gemm;
    }

    @Override
    public Pointwise pointwise() {
        return pointwise;
    }

    @Override
    public Norms norms() {
        return norms;
    }

    @Override
    public Softmax softmax() {
        return softmax;
    }

    @Override
    public Attention attention() {
        return attention;
    }

    @Override
    public Losses losses() {
        return losses;
    }

    @Override
    public Embeddings embeddings() {
        return losses;
    }

    @Override
    public Dropout dropout() {
        return misc;
    }

    @Override
    public Rotary rotary() {
        return rotary;
    }

    @Override
    public Sequences sequences() {
        return misc;
    }

    @Override
    public OptimizerKernels optimizer() {
        return misc;
    }

    /** The fused optimizer updates (KOptim), the fused clipped-softmax attention (KClipped), the softcapped cross-entropy (KLosses). */
    @Override
    public <E> Optional<E> extension(Class<E> kernels) {
        if (kernels == FusedOptimizerKernels.class) return Optional.of(kernels.cast(misc));
        if (kernels == SoftcappedLossKernels.class) return Optional.of(kernels.cast(losses));
        if (kernels == ClippedSoftmaxKernels.class)
            return Optional.of(kernels.cast((ClippedSoftmaxKernels) (gamma, zeta) -> TornadoAttention.clipped(this, gamma, zeta)));
        return Optional.empty();
    }

    /**
     * Runs the step with kernel calls queued; they are flushed at every host interaction inside it (a read or write
     * of device memory) and at its end. A flushed run of calls whose kernel sequence was flushed before in an earlier
     * run is compiled into a TaskGraph (after the step, once) and from then on runs as one execution with the calls'
     * arguments refreshed. So a steady training step is a few executions: one per stretch of kernels between host
     * interactions. The step's Java code still runs every time, which is what lets it pick up fresh dropout seeds
     * and values written inside it.
     */
    @Override
    public CapturedStep capture(Runnable step) {
        if (!captureEnabled) return step::run;
        return () -> {
            engine.beginDeferred();
            boolean ok = false;
            try {
                step.run();
                ok = true;
            } finally {
                engine.endDeferred(ok);
            }
        };
    }

    private Peak peak;

    /**
     * The device's own float32 peak (see {@link Peak}): the larger of its specification (NVIDIA GPUs: SMs × clock ×
     * FP32 lanes × 2) and a measured FMA rate (cached per device); {@link #peakFlopsSource()} says which.
     */
    @Override
    public synchronized double peakFlops() {
        if (peak == null) peak = Peak.of(this, engine);
        return peak.flops;
    }

    /** Where the peak comes from, for the trainer's "MFU against …" log line. */
    @Override
    public synchronized String peakFlopsSource() {
        peakFlops();
        return peak.describe();
    }

    /** Counters: eager launches, segment runs, kernel calls run inside segments, executions, uploads, reads. */
    public String stats() {
        return "eager=" + engine.eagerLaunches + " segmentRuns=" + engine.segmentRuns + " segmentCalls="
                + engine.segmentCalls + " executions=" + engine.executions + " uploads=" + engine.uploads + " reads="
                + engine.reads + " segments=" + engine.segmentSizes() + " plans=" + engine.rebuilds
                + (engine.compiledInBackground > 0 ? " backgroundCompiles=" + engine.compiledInBackground + " lastCompileMs="
                + engine.lastCompileMillis : "");
    }

    /** How many captured segments are compiled. */
    public int capturedSegments() {
        return engine.segmentCount();
    }

    /** How many kernel calls ran inside captured segments so far. */
    public long capturedCalls() {
        return engine.segmentCalls;
    }

    /** How many TaskGraph executions ran so far (every eager call, upload and segment run is one). */
    public long executions() {
        return engine.executions;
    }

    @Override
    public void close() {
        engine.close();
    }
}
