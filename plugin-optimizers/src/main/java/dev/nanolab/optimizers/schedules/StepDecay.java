package dev.nanolab.optimizers.schedules;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.optim.LrSchedule;
import java.util.List;

/**
 * Step decay, as {@code torch.optim.lr_scheduler.MultiStepLR}: the rate is multiplied by γ at each milestone, so
 * {@code lr(t) = base · γ^(number of milestones ≤ t)}. With milestones [1000] and γ 0.1, steps 0-999 run at the
 * base rate and step 1000 on at a tenth of it.
 */
public record StepDecay(Config config) implements LrSchedule {
    public record Config(@Doc("steps at which the rate is multiplied by gamma, ascending") List<Long> milestones,
                         @Doc("the factor applied at each milestone") @Range(min = 0) double gamma) {
        public Config {
            milestones = List.copyOf(milestones);
            for (int i = 0; i < milestones.size(); i++) {
                if (milestones.get(i) < 0) throw new IllegalArgumentException("milestones must be ≥ 0, got " + milestones.get(i));
                if (i > 0 && milestones.get(i) <= milestones.get(i - 1))
                    throw new IllegalArgumentException("milestones must be strictly ascending, got " + milestones);
            }
        }

        /** ÷10 from step 1000 on. */
        public Config() {
            this(List.of(1000L), 0.1);
        }
    }

    @Override
    public double lr(long step, double baseLr) {
        double lr = baseLr;
        for (long m : config.milestones()) {
            if (step < m) break;
            lr *= config.gamma();
        }
        return lr;
    }
}
