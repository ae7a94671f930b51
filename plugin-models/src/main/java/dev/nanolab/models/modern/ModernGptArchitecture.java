package dev.nanolab.models.modern;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.embedding.EmbeddingVariant;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentKind;

/** The {@code modern-gpt} architecture component. */
public final class ModernGptArchitecture implements Architecture {
    private final ModernGptConfig config;

    public ModernGptArchitecture(ModernGptConfig config) {
        this.config = config;
    }

    @Override
    public boolean usesAttention() {
        return true;
    }

    @Override
    public LanguageModel build(ModelContext ctx) {
        AttentionVariant variant = config.attention() == null
                ? ctx.registry().createDefault(ComponentKind.ATTENTION, "softmax")
                : config.attention().create(ctx.registry());
        EmbeddingVariant embedding = config.embedding() == null
                ? ctx.registry().createDefault(ComponentKind.EMBEDDING, "token")
                : config.embedding().create(ctx.registry());
        return new ModernGpt(config, variant, embedding, ctx);
    }
}
