package dev.nanolab.api.optim;

import dev.nanolab.api.tensor.Tensor;

/**
 * One update's inputs.
 *
 * @param step      1 for the first update (bias corrections use it)
 * @param lr        the scheduled base learning rate; each group multiplies it by its own multiplier
 * @param gradScale a one-element tensor every gradient is multiplied by (the clipping factor), or null for 1. It stays
 *                  on the device: the norm is never read back to clip.
 */
public record OptimizerStep(long step, double lr, Tensor gradScale) {}
