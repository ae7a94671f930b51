package dev.nanolab.api.optim;

/**
 * The learning-rate schedule component ({@link dev.nanolab.api.plugin.ComponentKind#SCHEDULE}): a pure function of
 * the step. A parameter group's rate is {@code lr(step, baseLr) * group multiplier}.
 */
@FunctionalInterface
public interface LrSchedule {
    /**
     * The learning rate at optimizer step {@code step} (0-based), given the optimizer's base rate.
     */
    double lr(long step, double baseLr);
}
