/**
 * Tensors and reverse-mode autograd. A {@link dev.nanolab.api.tensor.Tensor} lives in a backend's storage; ops check
 * shapes and record their backward; {@link dev.nanolab.api.tensor.TensorScope} recycles the storage of a step;
 * {@link dev.nanolab.api.tensor.GradMode} turns recording off; {@link dev.nanolab.api.tensor.Rng} is the seeded
 * generator whose state checkpoints save.
 *
 * <p>Writing a new op: allocate the output with {@link dev.nanolab.api.tensor.Tensor#empty}, run backend kernels, and
 * call {@link dev.nanolab.api.tensor.Tensor#recordBackward} with a {@link dev.nanolab.api.tensor.Backward} that writes
 * each input's {@link dev.nanolab.api.tensor.Tensor#gradSink()}.
 */
package dev.nanolab.api.tensor;
