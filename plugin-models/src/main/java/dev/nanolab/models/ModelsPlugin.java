package dev.nanolab.models;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.embedding.EmbeddingVariant;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.models.embedding.MixtureOfTokenizers;
import dev.nanolab.models.embedding.MotConfig;
import dev.nanolab.models.embedding.TokenLookup;
import dev.nanolab.models.bigram.Bigram;
import dev.nanolab.models.bigram.BigramConfig;
import dev.nanolab.models.gpt.GptArchitecture;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.models.lstm.Lstm;
import dev.nanolab.models.lstm.LstmConfig;
import dev.nanolab.models.mlp.BengioMlp;
import dev.nanolab.models.mlp.MlpConfig;
import dev.nanolab.models.modern.ModernGptArchitecture;
import dev.nanolab.models.modern.ModernGptConfig;
import dev.nanolab.models.wavenet.WaveNet;
import dev.nanolab.models.wavenet.WaveNetConfig;
import java.util.function.Function;

import static dev.nanolab.api.plugin.ComponentKind.ARCHITECTURE;
import static dev.nanolab.api.plugin.ComponentKind.EMBEDDING;

/** Registers the built-in architectures and input embeddings. */
public final class ModelsPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, EmbeddingVariant> tokenEmbedding() {
        return ComponentSpec.of(EMBEDDING, "token", "a (vocab, C) table looked up by token id (nanoGPT's wte)",
                NoOptions.class, c -> TokenLookup::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, EmbeddingVariant> mixtureOfTokenizers() {
        return ComponentSpec.of(EMBEDDING, "mot",
                "mixture of tokenizers: each token cross-attends to the bytes it and the tokens before it spell (optional byte self-attention, pooling, residual)",
                MotConfig.class, c -> ctx -> new MixtureOfTokenizers(c, ctx));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Architecture> gpt() {
        return ComponentSpec.of(ARCHITECTURE, "gpt",
                "nanoGPT's GPT: pre-LN transformer, learned positions, tied LM head, pluggable attention",
                GptConfig.class, GptArchitecture::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Architecture> modernGpt() {
        return ComponentSpec.of(ARCHITECTURE, "modern-gpt",
                "modded-nanogpt's speedrun GPT (RoPE, RMSNorm, QK-norm, relu², value embeddings, U-net skips, windows, softcap), each piece a switch",
                ModernGptConfig.class, ModernGptArchitecture::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Architecture> lstm() {
        return ComponentSpec.of(ARCHITECTURE, "lstm",
                "stacked LSTM with a residual connection and an MLP head; samples carry the state",
                LstmConfig.class, c -> withoutAttention(ctx -> new Lstm(c, ctx)));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Architecture> wavenet() {
        return ComponentSpec.of(ARCHITECTURE, "wavenet",
                "WaveNet: gated dilated causal convolutions, receptive field block_size",
                WaveNetConfig.class, c -> withoutAttention(ctx -> new WaveNet(c, ctx)));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Architecture> mlp() {
        return ComponentSpec.of(ARCHITECTURE, "mlp",
                "Bengio et al.'s MLP over the previous block_size tokens, optional batch norm with PreciseBN",
                MlpConfig.class, c -> withoutAttention(ctx -> new BengioMlp(c, ctx)));
    }

    @ProvidesIntoSet
    public ComponentSpec<?, Architecture> bigram() {
        return ComponentSpec.of(ARCHITECTURE, "bigram",
                "the bigram baseline: logits are a row of a (V, V) table",
                BigramConfig.class, c -> withoutAttention(ctx -> new Bigram(c, ctx)));
    }

    /**
     * An architecture without attention. Its config has no {@code attention} key, so setting one is an unknown-key
     * error when the config is bound.
     */
    private static Architecture withoutAttention(Function<ModelContext, LanguageModel> build) {
        return new Architecture() {
            @Override
            public boolean usesAttention() {
                return false;
            }

            @Override
            public LanguageModel build(ModelContext ctx) {
                return build.apply(ctx);
            }
        };
    }
}
