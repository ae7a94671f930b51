package dev.nanolab.training.train;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.Map;

/**
 * One optimizer step: for each micro-batch, forward and backward inside a {@link TensorScope} (gradients add up
 * across micro-batches); then the global gradient norm and clipping factor, computed on the backend; then the
 * update. Shared by the trainer and {@code nanolab bench train}.
 */
public final class TrainStep {
    /** Fills the (B, T) input and target tensors with the next micro-batch. */
    @FunctionalInterface
    public interface Batches {
        void next(Tensor inputs, Tensor targets);
    }

    /** A loss that is not finite, at a micro-step. */
    public static final class NonFiniteLoss extends RuntimeException {
        final int microStep;
        final float value;

        NonFiniteLoss(int microStep, float value) {
            super("loss " + value + " at micro-step " + microStep);
            this.microStep = microStep;
            this.value = value;
        }
    }

    /** Gradients whose global norm is not finite: a NaN or infinity in some gradient, or an overflowing sum. */
    public static final class NonFiniteGradient extends RuntimeException {
        final double norm;

        NonFiniteGradient(double norm) {
            super("gradient norm " + norm);
            this.norm = norm;
        }
    }

    /** The outcome of a step. */
    public record Outcome(double loss, double gradNorm) {}

    private final LanguageModel model;
    private final Optimizer optimizer;
    private final Map<String, Tensor> params;
    private final int accumulation;
    private final double gradClip;
    private final Backend backend;
    private final Tensor x, y, norm2, clipScale;
    /** The step as the backend prepared it: replayed as recorded kernels on a GPU backend, run eagerly on the CPU. */
    private final dev.nanolab.api.backend.CapturedStep captured;
    private long iter;
    private double lr;
    private Batches batches;
    private Outcome outcome;

    public TrainStep(LanguageModel model, Optimizer optimizer, int batch, int block, int accumulation, double gradClip) {
        this.model = model;
        this.optimizer = optimizer;
        this.params = model.namedParameters();
        this.accumulation = accumulation;
        this.gradClip = gradClip;
        this.backend = params.values().iterator().next().backend();
        try (GradMode.Scope ignored = GradMode.disabled()) {
            x = TensorScope.outside(() -> Tensor.ofInts(backend, new int[batch * block], batch, block));
            y = TensorScope.outside(() -> Tensor.ofInts(backend, new int[batch * block], batch, block));
            norm2 = TensorScope.outside(() -> Tensor.zeros(backend, 1));
            clipScale = TensorScope.outside(() -> Tensor.full(backend, 1f, 1));
        }
        captured = backend.capture(this::body);
    }

    /**
     * Runs step {@code iter} (0-based) at learning rate {@code lr}.
     *
     * @throws NonFiniteLoss     before any update when a micro-batch's loss is NaN or infinite
     * @throws NonFiniteGradient before any update when the gradients' global norm is NaN or infinite
     */
    public Outcome run(long iter, double lr, Batches batches) {
        this.iter = iter;
        this.lr = lr;
        this.batches = batches;
        captured.run();
        return outcome;
    }

    /** The step's kernel calls, the same each time (what {@link dev.nanolab.api.backend.Backend#capture} requires). */
    private void body() {
        double lossSum = 0;
        model.train();
        model.zeroGrad();
        for (int micro = 0; micro < accumulation; micro++) {
            batches.next(x, y);
            try (TensorScope step = TensorScope.open()) {
                Tensor loss = model.loss(x, y);
                float value = loss.item();
                if (!Float.isFinite(value)) throw new NonFiniteLoss(micro, value);
                lossSum += value;
                (accumulation == 1 ? loss : loss.mul(1f / accumulation)).backward();
            }
        }
        double gradNorm = clip();
        if (!Double.isFinite(gradNorm)) throw new NonFiniteGradient(gradNorm); // never update from non-finite gradients
        optimizer.step(new OptimizerStep(iter + 1, lr, gradClip > 0 ? clipScale : null));
        outcome = new Outcome(lossSum / accumulation, gradNorm);
    }

    /** Sums squared gradients on the backend and sets the clipping factor there; returns the pre-clip norm. */
    private double clip() {
        boolean first = true;
        for (Tensor p : params.values()) {
            Tensor g = p.grad();
            if (g == null) continue;
            backend.optimizer().sumOfSquares(g.storage(), g.size(), norm2.storage(), 0, !first);
            first = false;
        }
        if (first) return 0;
        if (gradClip > 0) backend.optimizer().clipScale(norm2.storage(), 0, (float) gradClip, clipScale.storage(), 0);
        return Math.sqrt(norm2.item());
    }
}
