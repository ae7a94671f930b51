package dev.nanolab.api.backend;

/**
 * Where a layer kernel's backward (a norm, a convolution) writes: the input's gradient, and its parameters'.
 *
 * @param dx               the input's gradient, written or accumulated ({@code accumulateDx})
 * @param dWeight          the weight's gradient, or null when the layer has no weight
 * @param dBias            the bias's gradient, or null when the layer has no bias
 * @param accumulateParams add the parameter gradients to what is there instead of overwriting them
 */
public record LayerGradients(Storage dx, Storage dWeight, Storage dBias, boolean accumulateDx, boolean accumulateParams) {}
