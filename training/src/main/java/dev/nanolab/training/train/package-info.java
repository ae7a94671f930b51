/**
 * The training loop ({@link dev.nanolab.training.train.Trainer}), the resolved components of a run
 * ({@link dev.nanolab.training.train.TrainingRun}) and the metrics log.
 */
package dev.nanolab.training.train;
