/**
 * The compute-backend SPI: storage owned by a backend, and op-level kernels over it, grouped by job
 * ({@link dev.nanolab.api.backend.Gemm}, {@link dev.nanolab.api.backend.Pointwise},
 * {@link dev.nanolab.api.backend.Norms}, {@link dev.nanolab.api.backend.Softmax},
 * {@link dev.nanolab.api.backend.Attention}, {@link dev.nanolab.api.backend.Losses},
 * {@link dev.nanolab.api.backend.Embeddings}, {@link dev.nanolab.api.backend.Dropout},
 * {@link dev.nanolab.api.backend.Sequences}, {@link dev.nanolab.api.backend.OptimizerKernels}), each forward beside its
 * backward. Model code never calls these directly: it uses {@link dev.nanolab.api.tensor.Tensor} and
 * {@link dev.nanolab.api.nn.F}, which check shapes, allocate outputs and record the backward.
 */
package dev.nanolab.api.backend;
