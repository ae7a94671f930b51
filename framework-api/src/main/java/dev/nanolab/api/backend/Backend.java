package dev.nanolab.api.backend;

import java.util.Optional;

/**
 * A compute backend: memory it owns and the kernels that run over it, op by op. Tensors
 * ({@link dev.nanolab.api.tensor.Tensor}) and autograd are written once against this SPI; a backend implements the
 * kernels over its own storage (heap arrays on the CPU, device buffers on a GPU), and storages of two backends are
 * never mixed.
 *
 * <p>Each kernel group is a small interface; every forward kernel has its backward beside it. Kernels write their
 * whole output (callers may poison outputs to check this), or add to it when asked to accumulate.
 *
 * <p>Whole-step capture: {@link #capture} lets a backend record the kernel calls of one training step and replay
 * them, which a GPU backend needs to avoid a launch and a transfer per op. The eager default runs the step again.
 */
public interface Backend extends AutoCloseable {
    /** Component name, e.g. {@code cpu}. */
    String name();

    /** The device, in words, e.g. "CPU, 2 threads, AVX-512". */
    String device();

    /** Worker threads the kernels use. */
    int threads();

    Memory memory();

    Gemm gemm();

    Pointwise pointwise();

    Norms norms();

    Softmax softmax();

    Attention attention();

    Losses losses();

    Embeddings embeddings();

    Dropout dropout();

    Sequences sequences();

    Rotary rotary();

    OptimizerKernels optimizer();

    /**
     * An optional kernel set of this backend ({@link dev.nanolab.api.backend.ext}), by its interface: empty when the
     * backend does not implement it, and the caller then composes the function from the core kernels.
     */
    default <E> Optional<E> extension(Class<E> kernels) {
        return Optional.empty();
    }

    /**
     * Prepares a step to be run many times. The step must make the same kernel calls with the same shapes on every
     * run and take what changes between runs (the batch, the learning rate) only from storages written before
     * {@link CapturedStep#run()}. A backend may then record the calls on the first run and replay them afterwards.
     */
    default CapturedStep capture(Runnable step) {
        return step::run;
    }

    /**
     * The device's peak float32 FLOP/s, for MFU, as the backend can best tell (a measurement of fused multiply-adds
     * in registers, or the device's specification); NaN when it cannot, and the trainer then measures a GEMM.
     */
    default double peakFlops() {
        return Double.NaN;
    }

    /** Where {@link #peakFlops()} comes from, in words, for the log line that quotes MFU against it. */
    default String peakFlopsSource() {
        return "the " + name() + " backend's estimate";
    }

    /** Frees the pool and stops worker threads. */
    @Override
    void close();
}
