/** How the training loop drives the configured probes at each evaluation: {@link dev.nanolab.training.probe.ProbeSet}. */
package dev.nanolab.training.probe;
