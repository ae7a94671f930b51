package dev.nanolab.optimizers.schedules;

import dev.nanolab.api.optim.LrSchedule;

/** The base learning rate at every step (nanoGPT's {@code decay_lr = False}). */
public final class Constant implements LrSchedule {
    @Override
    public double lr(long step, double baseLr) {
        return baseLr;
    }
}
