/**
 * Optimizers and learning-rate schedules: {@link dev.nanolab.api.optim.OptimizerFactory} and
 * {@link dev.nanolab.api.optim.LrSchedule} are components; an {@link dev.nanolab.api.optim.Optimizer} updates
 * {@link dev.nanolab.api.optim.ParamGroup}s one fused pass per tensor and exposes its state for checkpoints.
 */
package dev.nanolab.api.optim;
