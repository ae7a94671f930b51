package dev.nanolab.api.backend.ext;

import dev.nanolab.api.backend.Memory;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.Storage;

/**
 * Fused parameter updates of the built-in optimizers, one pass per parameter tensor. Hyper-parameters that change
 * from step to step (learning rate, bias corrections, the clipping scale) are read from a small F32 storage rather
 * than passed as arguments, so a backend that captures a training step and replays it sees each step's values: the
 * optimizer writes them with {@link Memory#write} before the step.
 *
 * <p>Optional ({@link dev.nanolab.api.backend.Backend#extension}): an optimizer on a backend without it composes
 * the same update from core tensor ops, reading its hyper-parameters on the host.
 */
public interface FusedOptimizerKernels {
    /** Layout of the AdamW hyper-parameter block, starting at {@code hyperOffset}. */
    int LR = 0, BETA1 = 1, BETA2 = 2, EPS = 3, WEIGHT_DECAY = 4, BIAS_CORRECTION1 = 5, BIAS_CORRECTION2 = 6,
            GRAD_SCALE = 7, ADAMW_HYPER_SIZE = 8;

    /**
     * AdamW (Loshchilov &amp; Hutter), with g = GRAD_SCALE · grad: m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²;
     * p −= lr · (m/bc1 / (√(v/bc2) + eps) + wd · p), where bc1 = 1−β1^t and bc2 = 1−β2^t are given.
     */
    void adamw(Storage param, Storage grad, Storage m, Storage v, long n, Storage hyper, int hyperOffset);

    // Every kernel below follows the same contract as adamw: one pass over n elements of contiguous storages that
    // start at offset 0; param and the state buffers are read and written in place; grad is only read; g stands for
    // hyper[GRAD_SCALE slot] · grad (the clipping factor). Each reads its hyper-parameters from hyper[hyperOffset +
    // slot], with the slots listed in the layout constants before it; slots not named by a kernel's formula are
    // ignored by it. Results must not depend on the thread count (each element is computed on its own), so a resumed
    // run continues the exact trajectory.

    /** Layout of the SGD hyper-parameter block, starting at {@code hyperOffset}. */
    int SGD_LR = 0, SGD_MOMENTUM = 1, SGD_BUFFER_DECAY = 2, SGD_BUFFER_GRAD = 3, SGD_NESTEROV = 4,
            SGD_WEIGHT_DECAY = 5, SGD_GRAD_SCALE = 6, SGD_HYPER_SIZE = 7;

    /**
     * SGD with momentum, as {@code torch.optim.SGD}: d = g + wd·p; then, with a momentum buffer,
     * buf = BUFFER_DECAY·buf + BUFFER_GRAD·d, and d = d + MOMENTUM·buf if NESTEROV is 1, else d = buf; finally
     * p −= lr·d. The host writes BUFFER_DECAY = 0, BUFFER_GRAD = 1 on the first step (torch starts the buffer as a copy
     * of d) and BUFFER_DECAY = momentum, BUFFER_GRAD = 1 − dampening after.
     *
     * @param momentumBuffer null for plain SGD (momentum 0): then only p −= lr·d is applied
     */
    void sgd(Storage param, Storage grad, Storage momentumBuffer, long n, Storage hyper, int hyperOffset);

    /** Layout of the RMSprop hyper-parameter block, starting at {@code hyperOffset}. */
    int RMSPROP_LR = 0, RMSPROP_ALPHA = 1, RMSPROP_EPS = 2, RMSPROP_WEIGHT_DECAY = 3, RMSPROP_MOMENTUM = 4,
            RMSPROP_GRAD_SCALE = 5, RMSPROP_HYPER_SIZE = 6;

    /**
     * RMSprop, as {@code torch.optim.RMSprop}: d = g + wd·p; sq = α·sq + (1−α)·d²; if centered,
     * ga = α·ga + (1−α)·d and den = √(sq − ga²) + eps, else den = √sq + eps; then with a momentum buffer
     * buf = MOMENTUM·buf + d/den and p −= lr·buf, without one p −= lr·d/den.
     *
     * @param gradAvg        the running mean of the gradient; null unless centered
     * @param momentumBuffer null when momentum is 0
     */
    void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer, long n,
                 Storage hyper, int hyperOffset);

    /**
     * Adam with L2 weight decay in the gradient, as {@code torch.optim.Adam}, reading the AdamW layout
     * ({@link #LR} … {@link #GRAD_SCALE}): d = g + wd·p; m = β1·m + (1−β1)·d; v = β2·v + (1−β2)·d²;
     * p −= (lr/bc1) · m / (√v/√bc2 + eps).
     */
    void adam(Storage param, Storage grad, Storage m, Storage v, long n, Storage hyper, int hyperOffset);

    /** Layout of the Lion hyper-parameter block, starting at {@code hyperOffset}. */
    int LION_LR = 0, LION_BETA1 = 1, LION_BETA2 = 2, LION_WEIGHT_DECAY = 3, LION_GRAD_SCALE = 4, LION_HYPER_SIZE = 5;

    /**
     * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): c = β1·m + (1−β1)·g;
     * p = p·(1 − lr·wd) − lr·sign(c); then m = β2·m + (1−β2)·g. sign(0) is 0 and sign(NaN) is NaN.
     */
    void lion(Storage param, Storage grad, Storage m, long n, Storage hyper, int hyperOffset);

    /**
     * Layout of the Muon hyper-parameter block, one block per parameter matrix, starting at {@code hyperOffset}.
     * A Muon update of one matrix is, in order: {@link #muonMomentum} into an update buffer; {@link OptimizerKernels#sumOfSquares} of
     * that buffer into {@link #MUON_SUM_OF_SQUARES} (so the norm never leaves the device); {@link #muonNormalize};
     * Newton–Schulz, made of {@link dev.nanolab.api.backend.Gemm#matmul} and {@link dev.nanolab.api.backend.Pointwise#unary} SCALE calls; {@link #muonUpdate}.
     * {@link #MUON_UPDATE_SCALE} is the matrix's shape factor max(1, rows/cols)^½.
     */
    int MUON_LR = 0, MUON_MOMENTUM = 1, MUON_NESTEROV = 2, MUON_WEIGHT_DECAY = 3, MUON_EPS = 4,
            MUON_SUM_OF_SQUARES = 5, MUON_UPDATE_SCALE = 6, MUON_GRAD_SCALE = 7, MUON_HYPER_SIZE = 8;

    /**
     * Muon's momentum (Jordan et al. 2024): buf = μ·buf + (1−μ)·g (torch's {@code buf.lerp_(g, 1−μ)}); then
     * {@code update} = (1−μ)·g + μ·buf if NESTEROV is 1 ({@code g.lerp_(buf, μ)}), else buf. The update is the matrix
     * that Newton–Schulz orthogonalises; it is written whole.
     */
    void muonMomentum(Storage grad, Storage momentumBuffer, Storage update, long n, Storage hyper, int hyperOffset);

    /** Muon: x /= √hyper[MUON_SUM_OF_SQUARES] + hyper[MUON_EPS], the Frobenius normalisation before Newton–Schulz. */
    void muonNormalize(Storage x, long n, Storage hyper, int hyperOffset);

    /**
     * Muon's last step, with O the orthogonalised update: p = p·(1 − lr·wd) − lr·UPDATE_SCALE·O (decoupled weight
     * decay, as Keller Jordan's {@code muon.py}).
     */
    void muonUpdate(Storage param, Storage orthogonal, long n, Storage hyper, int hyperOffset);
}
