package dev.nanolab.optimizers;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.ADAMW_HYPER_SIZE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.GRAD_SCALE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BETA1;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BETA2;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BIAS_CORRECTION1;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BIAS_CORRECTION2;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.EPS;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LR;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.WEIGHT_DECAY;

import dev.nanolab.api.backend.ext.FusedOptimizerKernels;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba 2015) with L2 weight decay added to the gradient, as {@code torch.optim.Adam}:
 * <pre>
 *   d = g + wd·p
 *   m = β1·m + (1−β1)·d,   v = β2·v + (1−β2)·d²
 *   p = p − (lr/(1−β1ᵗ)) · m / (√v/√(1−β2ᵗ) + eps)
 * </pre>
 * Unlike {@link AdamW}, the decay passes through the adaptive denominator, so large-gradient weights decay less.
 * State: {@code exp_avg}, {@code exp_avg_sq}.
 */
public final class Adam extends FusedOptimizer {
    /** torch.optim.Adam's defaults, except lr (nanoGPT's 6e-4 rather than 1e-3). */
    public record Config(@Doc("base learning rate") @Range(min = 0) double lr,
                         @Doc("first-moment decay") @Range(min = 0, max = 1, maxOpen = true) double beta1,
                         @Doc("second-moment decay") @Range(min = 0, max = 1, maxOpen = true) double beta2,
                         @Doc("added to the denominator") @Range(min = 0) double eps,
                         @Doc("L2 penalty added to the gradient, for the groups that decay") @Range(min = 0) double weightDecay) {
        public Config() {
            this(6e-4, 0.9, 0.999, 1e-8, 0);
        }
    }

    /** The component. */
    public record Factory(Config config) implements OptimizerFactory {
        @Override
        public double learningRate() {
            return config.lr();
        }

        @Override
        public double weightDecay() {
            return config.weightDecay();
        }

        @Override
        public Optimizer create(List<ParamGroup> groups) {
            return new Adam(config, groups);
        }
    }

    private final Config config;

    public Adam(Config config, List<ParamGroup> groups) {
        super(groups, ADAMW_HYPER_SIZE, GRAD_SCALE, "exp_avg", "exp_avg_sq");
        this.config = config;
    }

    @Override
    protected void writeHyper(OptimizerStep step, ParamGroup group, float[] h) {
        AdamW.writeAdamHyper(step, group, config.beta1(), config.beta2(), config.eps(), h);
    }

    @Override
    protected void update(FusedOptimizerKernels kernels, ParamState s, Tensor grad, Tensor h) {
        kernels.adam(s.param().storage(), grad.storage(), s.buffers()[0].storage(), s.buffers()[1].storage(),
                s.param().size(), h.storage(), (int) h.offset());
    }

    @Override
    protected void composedUpdate(ParamState s, Tensor grad, float[] h) {
        Tensor p = s.param(), m = s.buffers()[0], v = s.buffers()[1];
        Tensor d = grad.mul(h[GRAD_SCALE]).add(p.mul(h[WEIGHT_DECAY]));
        m.copyFrom(m.mul(h[BETA1]).add(d.mul(1 - h[BETA1])));
        v.copyFrom(v.mul(h[BETA2]).add(d.square().mul(1 - h[BETA2])));
        Tensor den = v.sqrt().mul((float) (1 / Math.sqrt(h[BIAS_CORRECTION2]))).add(h[EPS]);
        p.copyFrom(p.sub(m.div(den).mul(h[LR] / h[BIAS_CORRECTION1])));
    }
}
