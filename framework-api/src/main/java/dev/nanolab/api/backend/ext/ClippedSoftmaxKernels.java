package dev.nanolab.api.backend.ext;

import dev.nanolab.api.backend.Attention;

/**
 * Clipped-softmax attention fused into one kernel (Bondarenko, Nagel and Blankevoort 2023): the weights are
 * {@code clamp((ζ − γ)·softmax + γ, 0, 1)}, dropout is applied to the clipped weights and they are not renormalised;
 * the lse saved for the backward is still that of the softmax. The clip needs a row's whole denominator before any
 * weight is known, so the kernel makes two passes over a row's keys. No extra logit (softmax1) and no learned sinks.
 *
 * <p>Optional: a backend offers it through {@link dev.nanolab.api.backend.Backend#extension}; where it does not,
 * the clipped-softmax variant composes the same function from core kernels.
 */
public interface ClippedSoftmaxKernels {
    /** The fused attention for this γ (≤ 0) and ζ (≥ 1), with the contract of {@link Attention}. */
    Attention clipped(float gamma, float zeta);
}
