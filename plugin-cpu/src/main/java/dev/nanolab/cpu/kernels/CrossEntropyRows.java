package dev.nanolab.cpu.kernels;

/**
 * A cross-entropy's per-row work over a (rows, vocab) logits array, plain or over softcapped logits, with the vocabulary
 * and the ignored target bound: the whole-array kernels ({@link CpuLosses}, {@link SoftcappedCrossEntropy}) run it over
 * all rows, the fused head ({@link LinearCrossEntropy}) over one block of logits at a time.
 */
interface CrossEntropyRows {
    /** For rows [from, to): {@code lse[r]} (of the capped logits, if capped) and the row's loss, 0 when ignored. */
    void losses(float[] logits, int[] targets, float[] lse, float[] rowLoss, int from, int to);

    /**
     * For rows [from, to): {@code dLogits[r] (+)= scale · (softmax − onehot(target)) (· ds/dz if capped)}, 0 for ignored
     * rows. {@code dLogits} may be {@code logits} itself (the gradient overwrites the logits it came from).
     */
    void gradients(float[] logits, int[] targets, float[] lse, float scale, float[] dLogits, boolean accumulate, int from, int to);
}
