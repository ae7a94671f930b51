package dev.nanolab.models.modern;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.RotaryTable;
import dev.nanolab.api.tensor.Rng;

/** What the modules of a modern GPT are built from, and its two initialisation schemes. */
record Parts(ModernGptConfig config, Backend backend, AttentionVariant variant, RotaryTable rotary, Rng initRng, Rng dropoutRng) {
    /** A hidden matrix's init: normal(0, 0.02), or modded-nanogpt's uniform with std 0.5/√in. */
    Init linear(int in) {
        if (config.init() == ModernGptConfig.InitScheme.GPT2) return Init.normal(initRng, 0.02f);
        return Init.uniform(initRng, (float) (Math.sqrt(3) * 0.5 / Math.sqrt(in)));
    }

    /** An output projection's init: zero when switched so, else GPT-2's 0.02/√(2·n_layer) or modded's uniform. */
    Init projection(int in) {
        if (config.zeroInitProjections()) return Init.zeros();
        if (config.init() == ModernGptConfig.InitScheme.GPT2)
            return Init.normal(initRng, (float) (0.02 / Math.sqrt(2.0 * config.nLayer())));
        return linear(in);
    }

    /** Embedding tables: normal(0, 0.02), or normal(0, 1) as PyTorch's nn.Embedding (modded-nanogpt). */
    Init embedding() {
        return Init.normal(initRng, config.init() == ModernGptConfig.InitScheme.GPT2 ? 0.02f : 1f);
    }
}
