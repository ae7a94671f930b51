package dev.nanolab.api.probe;

/**
 * A probe ({@link dev.nanolab.api.plugin.ComponentKind#PROBE}): measures a model at each evaluation and reports named
 * numbers and histograms, which the trainer writes to {@code metrics.jsonl}. A run names its probes in its config
 * ({@code probes: [kurtosis, max-abs, attention-mass]}).
 *
 * <p>One job: at an evaluation the trainer calls {@link #observe}; the probe attaches forward hooks
 * ({@link dev.nanolab.api.nn.Layer#addForwardHook}) and returns an {@link Observation}; the trainer runs the
 * validation batches of the evaluation (no gradient, eval mode); then it asks the observation for its
 * {@link Observation#report report} and closes it, which removes the hooks. Training steps never run with hooks
 * attached, so probes cost nothing on them.
 *
 * <p>Probes that look at the optimizer step (update:data ratios, gradients) read {@link ProbeContext#lastUpdate()}:
 * the step that ran just before the evaluation. Its gradients are still in place; the parameters before that step
 * are only kept for probes that ask, through {@link #needsPreviousParameters()}.
 */
public interface Probe {
    /**
     * Starts observing one evaluation: attach hooks to {@code context.model()} (or read parameters directly) and
     * return what collects the observations. Called once per evaluation, before its validation batches.
     */
    Observation observe(ProbeContext context);

    /**
     * Whether the trainer must copy the parameters before the update of each step that precedes an evaluation (one
     * host copy of θ per evaluation interval; other steps are untouched). Default: no.
     */
    default boolean needsPreviousParameters() {
        return false;
    }
}
