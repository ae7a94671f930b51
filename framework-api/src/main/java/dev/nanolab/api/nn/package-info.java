/**
 * Neural-network building blocks: the {@link dev.nanolab.api.nn.Layer} base (parameters, buffers, children,
 * train/eval, forward hooks), the standard layers, and {@link dev.nanolab.api.nn.F}, the fused functions they call.
 */
package dev.nanolab.api.nn;
