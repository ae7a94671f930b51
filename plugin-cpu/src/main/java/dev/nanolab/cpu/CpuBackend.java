package dev.nanolab.cpu;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.ext.ClippedSoftmaxKernels;
import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.backend.ext.LinearCrossEntropyKernels;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.cpu.kernels.ClippedAttention;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.Embeddings;
import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.Losses;
import dev.nanolab.api.backend.Memory;
import dev.nanolab.api.backend.Norms;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.Pointwise;
import dev.nanolab.api.backend.Rotary;
import dev.nanolab.api.backend.Sequences;
import dev.nanolab.api.backend.Softmax;
import dev.nanolab.cpu.kernels.CpuAttention;
import dev.nanolab.cpu.kernels.CpuDropout;
import dev.nanolab.cpu.kernels.CpuEmbeddings;
import dev.nanolab.cpu.kernels.CpuGemm;
import dev.nanolab.cpu.kernels.CpuLosses;
import dev.nanolab.cpu.kernels.CpuNorms;
import dev.nanolab.cpu.kernels.CpuOptimizerKernels;
import dev.nanolab.cpu.kernels.CpuPointwise;
import dev.nanolab.cpu.kernels.CpuRotary;
import dev.nanolab.cpu.kernels.CpuSequences;
import dev.nanolab.cpu.kernels.CpuSoftmax;
import dev.nanolab.cpu.kernels.LinearCrossEntropy;
import dev.nanolab.cpu.kernels.SoftcappedCrossEntropy;
import dev.nanolab.cpu.memory.CpuMemory;
import dev.nanolab.cpu.parallel.FmaPeak;
import dev.nanolab.cpu.parallel.PeakCache;
import dev.nanolab.cpu.parallel.WorkerPool;
import jdk.incubator.vector.FloatVector;

import java.util.Optional;

/** The CPU backend: heap arrays, a {@link WorkerPool} over the cores, and Vector API kernels. */
public final class CpuBackend implements Backend {
    private final WorkerPool pool;
    private final CpuMemory memory;
    private final Gemm gemm;
    private final Pointwise pointwise;
    private final Norms norms;
    private final Softmax softmax;
    private final Attention attention;
    private final Rotary rotary;
    private final ClippedSoftmaxKernels clipped;
    private final Losses losses;
    private final Embeddings embeddings;
    private final Dropout dropout;
    private final Sequences sequences;
    private final CpuOptimizerKernels optimizer;
    private final SoftcappedLossKernels softcappedLosses;
    private final LinearCrossEntropyKernels linearCrossEntropy;

    /**
     * @param threads worker threads (the caller counts as one)
     * @param poison  fill every allocation with NaN, to catch kernels that leave outputs unwritten (tests)
     */
    public CpuBackend(int threads, boolean poison) {
        this.pool = new WorkerPool(threads);
        this.memory = new CpuMemory(this, poison);
        this.gemm = new CpuGemm(pool);
        this.pointwise = new CpuPointwise(pool);
        this.norms = new CpuNorms(pool);
        this.softmax = new CpuSoftmax(pool);
        this.attention = new CpuAttention(pool);
        this.rotary = new CpuRotary(pool);
        this.clipped = ClippedAttention.kernels(pool);
        this.losses = new CpuLosses(pool);
        this.softcappedLosses = new SoftcappedCrossEntropy(pool);
        this.linearCrossEntropy = new LinearCrossEntropy(pool);
        this.embeddings = new CpuEmbeddings(pool);
        this.dropout = new CpuDropout(pool);
        this.sequences = new CpuSequences(pool);
        this.optimizer = new CpuOptimizerKernels(pool);
    }

    /** A backend on every core, without poisoning. */
    public static CpuBackend allCores() {
        return new CpuBackend(Runtime.getRuntime().availableProcessors(), false);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return "CPU, " + pool.threads() + " threads, " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit vectors";
    }

    @Override
    public int threads() {
        return pool.threads();
    }

    /** The thread pool, for code in this module that runs its own parallel loops. */
    public WorkerPool pool() {
        return pool;
    }

    @Override
    public CpuMemory memory() {
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
    public <E> Optional<E> extension(Class<E> kernels) {
        if (kernels == ClippedSoftmaxKernels.class) return Optional.of(kernels.cast(clipped));
        if (kernels == FusedOptimizerKernels.class) return Optional.of(kernels.cast(optimizer));
        if (kernels == SoftcappedLossKernels.class) return Optional.of(kernels.cast(softcappedLosses));
        if (kernels == LinearCrossEntropyKernels.class) return Optional.of(kernels.cast(linearCrossEntropy));
        return Optional.empty();
    }

    @Override
    public Rotary rotary() {
        return rotary;
    }

    @Override
    public Losses losses() {
        return losses;
    }

    @Override
    public Embeddings embeddings() {
        return embeddings;
    }

    @Override
    public Dropout dropout() {
        return dropout;
    }

    @Override
    public Sequences sequences() {
        return sequences;
    }

    @Override
    public OptimizerKernels optimizer() {
        return optimizer;
    }

    private double peak = Double.NaN;

    /**
     * Measured once per backend (about half a second of fused multiply-adds on every worker) and raised to the highest
     * figure this CPU has shown before ({@link PeakCache}): a busy machine measures low, and MFU must not exceed 100%.
     */
    @Override
    public synchronized double peakFlops() {
        if (Double.isNaN(peak)) {
            double now = FmaPeak.measure(pool, 400);
            peak = PeakCache.standard().best(PeakCache.cpuKey(pool.threads(), FloatVector.SPECIES_PREFERRED.vectorBitSize()), now);
        }
        return peak;
    }

    @Override
    public String peakFlopsSource() {
        return "the highest FMA rate measured on this CPU with " + pool.threads() + " threads (cached in "
                + PeakCache.standard().file() + ")";
    }

    @Override
    public void close() {
        memory.clear();
        pool.close();
    }
}
