package dev.nanolab.optimizers;

import dev.nanolab.api.backend.Attention;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.Dropout;
import dev.nanolab.api.backend.Embeddings;
import dev.nanolab.api.backend.Gemm;
import dev.nanolab.api.backend.Losses;
import dev.nanolab.api.backend.Memory;
import dev.nanolab.api.backend.Norms;
import dev.nanolab.api.backend.OptimizerKernels;
import dev.nanolab.api.backend.Pointwise;
import dev.nanolab.api.backend.Rotary;
import dev.nanolab.api.backend.Sequences;
import dev.nanolab.api.backend.Softmax;

/** A backend with only the core kernels of the one it wraps: what an optimizer meets on a backend without its fused kernels. */
record WithoutExtensions(Backend core) implements Backend {
    @Override public String name() { return core.name() + "-core"; }
    @Override public String device() { return core.device(); }
    @Override public int threads() { return core.threads(); }
    @Override public Memory memory() { return core.memory(); }
    @Override public Gemm gemm() { return core.gemm(); }
    @Override public Pointwise pointwise() { return core.pointwise(); }
    @Override public Norms norms() { return core.norms(); }
    @Override public Softmax softmax() { return core.softmax(); }
    @Override public Attention attention() { return core.attention(); }
    @Override public Losses losses() { return core.losses(); }
    @Override public Embeddings embeddings() { return core.embeddings(); }
    @Override public Dropout dropout() { return core.dropout(); }
    @Override public Sequences sequences() { return core.sequences(); }
    @Override public Rotary rotary() { return core.rotary(); }
    @Override public OptimizerKernels optimizer() { return core.optimizer(); }
    @Override public void close() { core.close(); }
}
