package dev.nanolab.optimizers;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.optim.Optimizer;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.optim.OptimizerStep;
import dev.nanolab.api.optim.ParamGroup;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization"), as {@code torch.optim.AdamW}: bias-corrected
 * moments, and weight decay applied to the weights directly rather than through the gradient. One fused kernel pass
 * per parameter tensor; hyper-parameters travel in a small device storage per group.
 */
public final class AdamW implements Optimizer {
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

    private record Slot(Tensor param, Tensor m, Tensor v) {}

    private final Config config;
    private final List<ParamGroup> groups;
    private final List<List<Slot>> slots = new ArrayList<>();
    private final List<Tensor> hyper = new ArrayList<>();

    public AdamW(Config config, List<ParamGroup> groups) {
        this.config = config;
        this.groups = List.copyOf(groups);
        TensorScope.outside(() -> {
            for (ParamGroup g : groups) {
                List<Slot> s = new ArrayList<>();
                for (Tensor p : g.params()) {
                    Backend be = p.backend();
                    s.add(new Slot(p, Tensor.zeros(be, p.shape().dims()), Tensor.zeros(be, p.shape().dims())));
                }
                slots.add(s);
                Backend be = g.params().isEmpty() ? null : g.params().get(0).backend();
                hyper.add(be == null ? null : Tensor.zeros(be, OptimizerKernels.ADAMW_HYPER_SIZE));
            }
            return null;
        });
    }

    @Override
    public void step(OptimizerStep step) {
        double bc1 = 1 - Math.pow(config.beta1(), step.step()), bc2 = 1 - Math.pow(config.beta2(), step.step());
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            Tensor h = hyper.get(gi);
            if (h == null) continue;
            Backend be = h.backend();
            h.set(new float[] {(float) (step.lr() * g.lrMultiplier()), (float) config.beta1(), (float) config.beta2(),
                    (float) config.eps(), (float) g.weightDecay(), (float) bc1, (float) bc2, 1f});
            if (step.gradScale() != null) {
                Tensor s = step.gradScale();
                be.pointwise().copy(s.storage(), s.offset(), new int[] {1}, h.storage(), h.offset() + OptimizerKernels.GRAD_SCALE,
                        new int[] {1}, new int[] {1}, false);
            }
            for (Slot s : slots.get(gi)) {
                Tensor grad = s.param().grad();
                if (grad == null) continue;
                be.optimizer().adamw(s.param().storage(), grad.storage(), s.m().storage(), s.v().storage(),
                        s.param().size(), h.storage(), (int) h.offset());
            }
        }
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (List<Slot> group : slots)
            for (Slot s : group) {
                out.put(s.param().name() + ".exp_avg", s.m());
                out.put(s.param().name() + ".exp_avg_sq", s.v());
            }
        return out;
    }
}
