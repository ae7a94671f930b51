package dev.nanolab.api.backend;

/**
 * Where a fused attention's backward writes its gradients: dq, dk, dv in the layouts of q, k, v, and the learned
 * sinks' gradient (accumulated, or null when there are none).
 *
 * @param accumulate add dq, dk, dv to what is there instead of overwriting it
 */
public record AttentionGradients(RowView dq, RowView dk, RowView dv, Storage dSinkLogits, boolean accumulate) {}
