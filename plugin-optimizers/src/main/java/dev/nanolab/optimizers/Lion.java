package dev.nanolab.optimizers;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LION_BETA1;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LION_BETA2;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LION_GRAD_SCALE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LION_HYPER_SIZE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LION_LR;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.LION_WEIGHT_DECAY;

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
 * Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): the sign of an interpolation between the
 * momentum and the gradient, so every coordinate moves by exactly lr; decoupled weight decay as AdamW:
 * <pre>
 *   c = β1·m + (1−β1)·g
 *   p = p·(1 − lr·wd) − lr·sign(c)
 *   m = β2·m + (1−β2)·g
 * </pre>
 * One state buffer, {@code exp_avg}, half of Adam's memory.
 */
public final class Lion extends FusedOptimizer {
    /**
     * The paper's betas (0.9, 0.99). Its advice: an lr 3-10× smaller than AdamW's and a weight decay 3-10× larger,
     * keeping lr·wd about the same; so lr 1e-4 and wd 1.0 against nanoGPT's AdamW (6e-4, 0.1).
     */
    public record Config(@Doc("base learning rate (3-10x smaller than AdamW's)") @Range(min = 0) double lr,
                         @Doc("interpolation factor of the update direction") @Range(min = 0, max = 1) double beta1,
                         @Doc("momentum decay") @Range(min = 0, max = 1) double beta2,
                         @Doc("decoupled weight decay, for the groups that decay (3-10x AdamW's)") @Range(min = 0) double weightDecay) {
        public Config() {
            this(1e-4, 0.9, 0.99, 1.0);
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
            return new Lion(config, groups);
        }
    }

    private final Config config;

    public Lion(Config config, List<ParamGroup> groups) {
        super(groups, LION_HYPER_SIZE, LION_GRAD_SCALE, "exp_avg");
        this.config = config;
    }

    @Override
    protected void writeHyper(OptimizerStep step, ParamGroup group, float[] h) {
        h[LION_LR] = (float) (step.lr() * group.lrMultiplier());
        h[LION_BETA1] = (float) config.beta1();
        h[LION_BETA2] = (float) config.beta2();
        h[LION_WEIGHT_DECAY] = (float) group.weightDecay();
    }

    @Override
    protected void update(FusedOptimizerKernels kernels, ParamState s, Tensor grad, Tensor h) {
        kernels.lion(s.param().storage(), grad.storage(), s.buffers()[0].storage(), s.param().size(),
                h.storage(), (int) h.offset());
    }

    @Override
    protected void composedUpdate(ParamState s, Tensor grad, float[] h) {
        Tensor p = s.param(), m = s.buffers()[0], g = grad.mul(h[LION_GRAD_SCALE]);
        Tensor c = m.mul(h[LION_BETA1]).add(g.mul(1 - h[LION_BETA1]));
        p.copyFrom(p.mul(1 - h[LION_LR] * h[LION_WEIGHT_DECAY]).sub(sign(c).mul(h[LION_LR])));
        m.copyFrom(m.mul(h[LION_BETA2]).add(g.mul(1 - h[LION_BETA2])));
    }
}
