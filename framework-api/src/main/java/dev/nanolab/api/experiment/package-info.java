/**
 * Experiments as code: an {@link dev.nanolab.api.experiment.Experiment} component says what to vary
 * ({@link dev.nanolab.api.experiment.ExperimentPlan}, {@link dev.nanolab.api.experiment.Variation}) and what to
 * conclude from the numbers ({@link dev.nanolab.api.experiment.ExperimentResult}); {@code nanolab run NAME} runs it
 * on top of {@code nanolab compare}.
 */
package dev.nanolab.api.experiment;
