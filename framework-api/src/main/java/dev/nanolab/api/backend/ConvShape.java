package dev.nanolab.api.backend;

/**
 * A causal dilated 1-D convolution: x (B, T, Cin) → y (B, T, Cout), weight (Cout, Cin, K), output t reading inputs
 * t − (K−1−j)·dilation for j &lt; K (zero before the start).
 */
public record ConvShape(int batch, int time, int inChannels, int outChannels, int kernel, int dilation) {}
