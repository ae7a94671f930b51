package dev.nanolab.optimizers.schedules;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.optim.LrSchedule;

/**
 * Warmup-stable-decay, the trapezoid (Zhai et al. 2022; Hu et al. 2024, MiniCPM; Hägele et al. 2024; modded-nanogpt's
 * cooldown): a linear warmup, the base rate for most of the run, then a decay to {@code min_lr} over the last
 * {@code decay_iters} steps (or the last {@code decay_fraction} of {@code total_iters}).
 * <pre>
 *   t &lt; W:             base · (t+1)/(W+1)                  (nanoGPT's warmup, as warmup-cosine)
 *   W ≤ t &lt; S:         base                                 with S = total_iters − decay_iters
 *   S ≤ t ≤ total:      min + (base − min) · f(r),  r = (t − S)/decay_iters
 *   t &gt; total:         min
 * </pre>
 * with f(r) = 1 − r (linear), ½(1 + cos πr) (cosine) or 1 − √r (sqrt, Hägele et al.'s best), so the rate reaches
 * min_lr exactly at total_iters.
 */
public record WarmupStableDecay(Config config) implements LrSchedule {
    /** The shape of the decay. */
    public enum Decay { LINEAR, COSINE, SQRT }

    public record Config(@Doc("steps of linear warmup") @Range(min = 0) long warmupIters,
                         @Doc("step at which the rate reaches min_lr") @Range(min = 1) long totalIters,
                         @Doc("length of the decay in steps; 0 to use decay_fraction") @Range(min = 0) long decayIters,
                         @Doc("length of the decay as a fraction of total_iters, when decay_iters is 0") @Range(min = 0, max = 1) double decayFraction,
                         @Doc("the rate at the end (absolute)") @Range(min = 0) double minLr,
                         @Doc("linear, cosine or sqrt") Decay decay) {
        public Config {
            long d = decaySteps(decayIters, decayFraction, totalIters);
            if (d < 1) throw new IllegalArgumentException("the decay must last at least one step (decay_iters or decay_fraction)");
            if (warmupIters + d > totalIters)
                throw new IllegalArgumentException("warmup_iters (" + warmupIters + ") + decay (" + d + ") exceed total_iters (" + totalIters + ")");
        }

        /** nanoGPT's run length and rates, with a linear decay over the last 20% (modded-nanogpt's shape). */
        public Config() {
            this(2000, 600000, 0, 0.2, 6e-5, Decay.LINEAR);
        }

        /** The decay's length in steps. */
        public long decaySteps() {
            return decaySteps(decayIters, decayFraction, totalIters);
        }

        private static long decaySteps(long decayIters, double decayFraction, long totalIters) {
            return decayIters > 0 ? decayIters : Math.round(decayFraction * totalIters);
        }
    }

    @Override
    public double lr(long step, double baseLr) {
        long warmup = config.warmupIters(), total = config.totalIters(), decay = config.decaySteps();
        long decayStart = total - decay;
        if (step < warmup) return baseLr * (step + 1) / (warmup + 1);
        if (step < decayStart) return baseLr;
        if (step > total) return config.minLr();
        double r = (double) (step - decayStart) / decay;
        double f = switch (config.decay()) {
            case LINEAR -> 1 - r;
            case COSINE -> 0.5 * (1 + Math.cos(Math.PI * r));
            case SQRT -> 1 - Math.sqrt(r);
        };
        return config.minLr() + (baseLr - config.minLr()) * f;
    }
}
