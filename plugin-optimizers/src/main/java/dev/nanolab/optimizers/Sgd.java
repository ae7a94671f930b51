package dev.nanolab.optimizers;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_BUFFER_DECAY;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_BUFFER_GRAD;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_GRAD_SCALE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_HYPER_SIZE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_LR;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_MOMENTUM;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_NESTEROV;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.SGD_WEIGHT_DECAY;

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
 * Stochastic gradient descent with momentum, as {@code torch.optim.SGD}:
 * <pre>
 *   d = g + wd·p                                   (L2 weight decay, in the gradient)
 *   buf = d at t = 1, else μ·buf + (1−dampening)·d
 *   d = d + μ·buf   (Nesterov)   or   d = buf
 *   p = p − lr·d
 * </pre>
 * With momentum 0 no buffer is kept and the update is p −= lr·d. State: {@code momentum_buffer}.
 *
 * <p>One difference from torch: "t = 1" is the optimizer's first step, not the first step on which this parameter
 * had a gradient, so that no per-parameter counter is needed to resume. They differ only for a parameter that gets
 * no gradient on step 1.
 */
public final class Sgd extends FusedOptimizer {
    public record Config(@Doc("base learning rate") @Range(min = 0) double lr,
                         @Doc("momentum factor μ; 0 for plain SGD") @Range(min = 0, max = 1, maxOpen = true) double momentum,
                         @Doc("dampening of the gradient added to the momentum buffer") @Range(min = 0, max = 1) double dampening,
                         @Doc("Nesterov momentum (needs momentum > 0 and dampening 0)") boolean nesterov,
                         @Doc("L2 penalty added to the gradient, for the groups that decay") @Range(min = 0) double weightDecay) {
        public Config {
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening 0 (as torch.optim.SGD)");
        }

        /** lr 0.01, momentum 0.9 with Nesterov, no weight decay. */
        public Config() {
            this(0.01, 0.9, 0, true, 0);
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
            return new Sgd(config, groups);
        }
    }

    private final Config config;

    public Sgd(Config config, List<ParamGroup> groups) {
        super(groups, SGD_HYPER_SIZE, SGD_GRAD_SCALE, keptIf(config.momentum() != 0, "momentum_buffer"));
        this.config = config;
    }

    @Override
    protected void writeHyper(OptimizerStep step, ParamGroup group, float[] h) {
        boolean first = step.step() <= 1;
        h[SGD_LR] = (float) (step.lr() * group.lrMultiplier());
        h[SGD_MOMENTUM] = (float) config.momentum();
        h[SGD_BUFFER_DECAY] = first ? 0f : (float) config.momentum();
        h[SGD_BUFFER_GRAD] = first ? 1f : (float) (1 - config.dampening());
        h[SGD_NESTEROV] = config.nesterov() ? 1f : 0f;
        h[SGD_WEIGHT_DECAY] = (float) group.weightDecay();
    }

    @Override
    protected void update(FusedOptimizerKernels kernels, ParamState s, Tensor grad, Tensor h) {
        Tensor buf = s.buffers()[0];
        kernels.sgd(s.param().storage(), grad.storage(), buf == null ? null : buf.storage(), s.param().size(),
                h.storage(), (int) h.offset());
    }

    @Override
    protected void composedUpdate(ParamState s, Tensor grad, float[] h) {
        Tensor p = s.param(), buf = s.buffers()[0];
        Tensor d = grad.mul(h[SGD_GRAD_SCALE]).add(p.mul(h[SGD_WEIGHT_DECAY]));
        if (buf != null) {
            buf.copyFrom(buf.mul(h[SGD_BUFFER_DECAY]).add(d.mul(h[SGD_BUFFER_GRAD])));
            d = h[SGD_NESTEROV] == 1f ? d.add(buf.mul(h[SGD_MOMENTUM])) : buf;
        }
        p.copyFrom(p.sub(d.mul(h[SGD_LR])));
    }
}
