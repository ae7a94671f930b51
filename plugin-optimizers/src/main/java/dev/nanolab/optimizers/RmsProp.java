package dev.nanolab.optimizers;

import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_ALPHA;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_EPS;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_GRAD_SCALE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_HYPER_SIZE;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_LR;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_MOMENTUM;
import static dev.nanolab.api.backend.ext.FusedOptimizerKernels.RMSPROP_WEIGHT_DECAY;

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
 * RMSprop (Hinton's lecture 6e), as {@code torch.optim.RMSprop}:
 * <pre>
 *   d = g + wd·p
 *   sq = α·sq + (1−α)·d²
 *   den = √(sq − ga²) + eps, with ga = α·ga + (1−α)·d   (centered)   or   √sq + eps
 *   buf = μ·buf + d/den,  p = p − lr·buf                  (momentum)   or   p = p − lr·d/den
 * </pre>
 * No bias correction: sq starts at 0, so early steps are large, as in torch. State: {@code square_avg}, and
 * {@code grad_avg} when centered, {@code momentum_buffer} when momentum is on.
 */
public final class RmsProp extends FusedOptimizer {
    /** torch.optim.RMSprop's defaults. */
    public record Config(@Doc("base learning rate") @Range(min = 0) double lr,
                         @Doc("smoothing constant of the squared-gradient average") @Range(min = 0, max = 1) double alpha,
                         @Doc("added to the denominator") @Range(min = 0) double eps,
                         @Doc("momentum factor; 0 keeps no buffer") @Range(min = 0, max = 1, maxOpen = true) double momentum,
                         @Doc("normalise by the gradient's estimated variance rather than its second moment") boolean centered,
                         @Doc("L2 penalty added to the gradient, for the groups that decay") @Range(min = 0) double weightDecay) {
        public Config() {
            this(0.01, 0.99, 1e-8, 0, false, 0);
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
            return new RmsProp(config, groups);
        }
    }

    private final Config config;

    public RmsProp(Config config, List<ParamGroup> groups) {
        super(groups, RMSPROP_HYPER_SIZE, RMSPROP_GRAD_SCALE, "square_avg", keptIf(config.centered(), "grad_avg"),
                keptIf(config.momentum() != 0, "momentum_buffer"));
        this.config = config;
    }

    @Override
    protected void writeHyper(OptimizerStep step, ParamGroup group, float[] h) {
        h[RMSPROP_LR] = (float) (step.lr() * group.lrMultiplier());
        h[RMSPROP_ALPHA] = (float) config.alpha();
        h[RMSPROP_EPS] = (float) config.eps();
        h[RMSPROP_WEIGHT_DECAY] = (float) group.weightDecay();
        h[RMSPROP_MOMENTUM] = (float) config.momentum();
    }

    @Override
    protected void update(FusedOptimizerKernels kernels, ParamState s, Tensor grad, Tensor h) {
        Tensor[] b = s.buffers();
        kernels.rmsprop(s.param().storage(), grad.storage(), b[0].storage(), b[1] == null ? null : b[1].storage(),
                b[2] == null ? null : b[2].storage(), s.param().size(), h.storage(), (int) h.offset());
    }

    @Override
    protected void composedUpdate(ParamState s, Tensor grad, float[] h) {
        Tensor p = s.param(), sq = s.buffers()[0], avg = s.buffers()[1], buf = s.buffers()[2];
        float alpha = h[RMSPROP_ALPHA];
        Tensor d = grad.mul(h[RMSPROP_GRAD_SCALE]).add(p.mul(h[RMSPROP_WEIGHT_DECAY]));
        sq.copyFrom(sq.mul(alpha).add(d.square().mul(1 - alpha)));
        Tensor den;
        if (avg != null) {
            avg.copyFrom(avg.mul(alpha).add(d.mul(1 - alpha)));
            den = sq.sub(avg.square()).sqrt().add(h[RMSPROP_EPS]);
        } else {
            den = sq.sqrt().add(h[RMSPROP_EPS]);
        }
        if (buf != null) {
            buf.copyFrom(buf.mul(h[RMSPROP_MOMENTUM]).add(d.div(den)));
            p.copyFrom(p.sub(buf.mul(h[RMSPROP_LR])));
        } else {
            p.copyFrom(p.sub(d.div(den).mul(h[RMSPROP_LR])));
        }
    }
}
