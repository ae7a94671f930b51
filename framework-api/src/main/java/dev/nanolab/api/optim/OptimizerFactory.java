package dev.nanolab.api.optim;

import java.util.List;

/**
 * The optimizer component ({@link dev.nanolab.api.plugin.ComponentKind#OPTIMIZER}), e.g. {@code adamw}: made from
 * its config (learning rate, betas, ...), it creates an optimizer over parameter groups.
 */
public interface OptimizerFactory {
    /** The base learning rate the schedule starts from. */
    double learningRate();

    /** Decoupled weight decay applied to the groups that decay (nanoGPT: tensors of rank ≥ 2). */
    double weightDecay();

    Optimizer create(List<ParamGroup> groups);
}
