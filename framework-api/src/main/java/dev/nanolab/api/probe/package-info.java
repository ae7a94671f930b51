/**
 * Probes: measurements of a model taken at each evaluation, written to {@code metrics.jsonl}.
 *
 * <ul>
 *   <li>{@link dev.nanolab.api.probe.Probe}: the component ({@code ComponentKind.PROBE}); attaches at an evaluation;</li>
 *   <li>{@link dev.nanolab.api.probe.Observation}: collects during the evaluation's batches, then reports;</li>
 *   <li>{@link dev.nanolab.api.probe.ProbeMetrics}: where reports go (numbers and {@link dev.nanolab.api.probe.Histogram}s);</li>
 *   <li>{@link dev.nanolab.api.probe.ProbeContext}, {@link dev.nanolab.api.probe.LastUpdate}: what a probe sees: the
 *   model, and the optimizer step before the evaluation (gradients, parameters before and after).</li>
 * </ul>
 *
 * The training module's {@code ProbeSet} drives them. Probes see evaluation batches only (no gradient, eval mode), so training steps run exactly as without them; the
 * only cost outside evaluations is one host copy of the parameters before the step preceding each evaluation, and
 * only when a probe asks for it.
 */
package dev.nanolab.api.probe;
