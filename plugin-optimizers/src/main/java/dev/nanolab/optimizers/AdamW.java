package dev.nanolab.optimizers;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.ADAMW_HYPER_SIZE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BETA1;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BETA2;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BIAS_CORRECTION1;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.BIAS_CORRECTION2;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.EPS;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.GRAD_SCALE;
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
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization"), as {@code torch.optim.AdamW}: bias-corrected
 * moments, and weight decay applied to the weights directly rather than through the gradient:
 * <pre>
 *   m = β1·m + (1−β1)·g,   v = β2·v + (1−β2)·g²
 *   p = p·(1 − lr·wd) − lr · (m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + eps)
 * </pre>
 * State: {@code exp_avg} (m) and {@code exp_avg_sq} (v) per parameter; t is {@link OptimizerStep#step()}.
 */
public final class AdamW extends FusedOptimizer {
    /** nanoGPT's defaults: lr 6e-4, betas (0.9, 0.95), weight decay 0.1. */
    public record Config(@Doc("base learning rate") @Range(min = 0) double lr,
                         @Doc("first-moment decay") @Range(min = 0, max = 1, maxOpen = true) double beta1,
                         @Doc("second-moment decay") @Range(min = 0, max = 1, maxOpen = true) double beta2,
                         @Doc("added to the denominator") @Range(min = 0) double eps,
                         @Doc("decoupled weight decay, for the groups that decay") @Range(min = 0) double weightDecay) {
        public Config() {
            this(6e-4, 0.9, 0.95, 1e-8, 0.1);
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
            return new AdamW(config, groups);
        }
    }

    private final Config config;

    public AdamW(Config config, List<ParamGroup> groups) {
        super(groups, ADAMW_HYPER_SIZE, GRAD_SCALE, "exp_avg", "exp_avg_sq");
        this.config = config;
    }

    @Override
    protected void writeHyper(OptimizerStep step, ParamGroup group, float[] h) {
        writeAdamHyper(step, group, config.beta1(), config.beta2(), config.eps(), h);
    }

    /** The AdamW layout, shared with {@link Adam}: bias corrections from the step number, no state of their own. */
    static void writeAdamHyper(OptimizerStep step, ParamGroup group, double beta1, double beta2, double eps, float[] h) {
        h[LR] = (float) (step.lr() * group.lrMultiplier());
        h[BETA1] = (float) beta1;
        h[BETA2] = (float) beta2;
        h[EPS] = (float) eps;
        h[WEIGHT_DECAY] = (float) group.weightDecay();
        h[BIAS_CORRECTION1] = (float) (1 - Math.pow(beta1, step.step()));
        h[BIAS_CORRECTION2] = (float) (1 - Math.pow(beta2, step.step()));
    }

    @Override
    protected void update(FusedOptimizerKernels kernels, ParamState s, Tensor grad, Tensor h) {
        kernels.adamw(s.param().storage(), grad.storage(), s.buffers()[0].storage(), s.buffers()[1].storage(),
                s.param().size(), h.storage(), (int) h.offset());
    }

    @Override
    protected void composedUpdate(ParamState s, Tensor grad, float[] h) {
        Tensor p = s.param(), m = s.buffers()[0], v = s.buffers()[1], g = grad.mul(h[GRAD_SCALE]);
        m.copyFrom(m.mul(h[BETA1]).add(g.mul(1 - h[BETA1])));
        v.copyFrom(v.mul(h[BETA2]).add(g.square().mul(1 - h[BETA2])));
        Tensor step = m.mul(1 / h[BIAS_CORRECTION1]).div(v.mul(1 / h[BIAS_CORRECTION2]).sqrt().add(h[EPS]));
        p.copyFrom(p.sub(step.add(p.mul(h[WEIGHT_DECAY])).mul(h[LR])));
    }
}
