package dev.nanolab.optimizers.schedules;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.optim.LrSchedule;

/**
 * nanoGPT's {@code get_lr}: linear warmup over {@code warmup_iters} steps (step t gets lr·(t+1)/(warmup+1)), then
 * cosine decay down to {@code min_lr} at {@code lr_decay_iters}, and {@code min_lr} after.
 */
public record WarmupCosine(Config config) implements LrSchedule {
    /** nanoGPT's defaults. */
    public record Config(@Doc("steps of linear warmup") @Range(min = 0) long warmupIters,
                         @Doc("step at which the rate reaches min_lr") @Range(min = 1) long lrDecayIters,
                         @Doc("the rate after decay (absolute)") @Range(min = 0) double minLr) {
        public Config {
            if (lrDecayIters <= warmupIters)
                throw new IllegalArgumentException("lr_decay_iters (" + lrDecayIters + ") must be greater than warmup_iters (" + warmupIters + ")");
        }

        public Config() {
            this(2000, 600000, 6e-5);
        }
    }

    @Override
    public double lr(long step, double baseLr) {
        if (step < config.warmupIters()) return baseLr * (step + 1) / (config.warmupIters() + 1);
        if (step > config.lrDecayIters()) return config.minLr();
        double ratio = (double) (step - config.warmupIters()) / (config.lrDecayIters() - config.warmupIters());
        double coeff = 0.5 * (1.0 + Math.cos(Math.PI * ratio));
        return config.minLr() + coeff * (baseLr - config.minLr());
    }
}
