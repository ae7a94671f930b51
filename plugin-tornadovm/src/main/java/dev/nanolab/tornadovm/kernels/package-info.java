/**
 * The TornadoVM kernels: plain static Java methods that TornadoVM compiles for the device (OpenCL, PTX, SPIR-V).
 *
 * <p>Every kernel has the same signature, {@code (KernelContext c, FloatArray h, IntArray ih, IntArray a, FloatArray f,
 * int b)}: {@code h} and {@code ih} are the device's float32 and int32 arenas in which every storage lives, and the
 * kernel's own arguments (offsets, shapes, flags; scalars) are read from the argument arrays {@code a} (ints) and
 * {@code f} (floats) starting at index {@code b}. Because nothing about a call is baked into the compiled kernel, one
 * compiled task serves every call of its kind, and a captured step's TaskGraph serves every step whose kernel sequence
 * is the same, whatever the tensors' places and sizes.
 *
 * <p>Kernels loop with a grid stride ({@code for (i = globalIdx; i < n; i += globalGroupSizeX)}), or over rows with a
 * work-group stride, so any launch size computes the whole result; the launch size only sets the parallelism.
 * Work-group kernels that reduce in local memory assume a work-group of {@link KMemory#WG} threads.
 *
 * <p>This package must be compiled with {@code javac -g} (TornadoVM reads local variable tables) and must be exported,
 * so that TornadoVM's runtime can reflect on it.
 */
package dev.nanolab.tornadovm.kernels;
