package dev.nanolab.models;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.models.bigram.Bigram;
import dev.nanolab.models.bigram.BigramConfig;
import dev.nanolab.models.gpt.GptArchitecture;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.models.lstm.Lstm;
import dev.nanolab.models.lstm.LstmConfig;
import dev.nanolab.models.mlp.BengioMlp;
import dev.nanolab.models.mlp.MlpConfig;
import dev.nanolab.models.wavenet.WaveNet;
import dev.nanolab.models.wavenet.WaveNetConfig;
import java.util.function.Function;
import java.util.stream.Stream;

/** Registers the built-in architectures. */
public final class ModelsPlugin implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @Override
    public Module module() {
        return binder -> Stream.of(
                ComponentSpec.of(ComponentKind.ARCHITECTURE, "gpt",
                        "nanoGPT's GPT: pre-LN transformer, learned positions, tied LM head, pluggable attention",
                        GptConfig.class, GptArchitecture::new),
                ComponentSpec.of(ComponentKind.ARCHITECTURE, "lstm",
                        "stacked LSTM with a residual connection and an MLP head; samples carry the state",
                        LstmConfig.class, c -> withoutAttention(ctx -> new Lstm(c, ctx))),
                ComponentSpec.of(ComponentKind.ARCHITECTURE, "wavenet",
                        "WaveNet: gated dilated causal convolutions, receptive field block_size",
                        WaveNetConfig.class, c -> withoutAttention(ctx -> new WaveNet(c, ctx))),
                ComponentSpec.of(ComponentKind.ARCHITECTURE, "mlp",
                        "Bengio et al.'s MLP over the previous block_size tokens, optional batch norm with PreciseBN",
                        MlpConfig.class, c -> withoutAttention(ctx -> new BengioMlp(c, ctx))),
                ComponentSpec.of(ComponentKind.ARCHITECTURE, "bigram",
                        "the bigram baseline: logits are a row of a (V, V) table",
                        BigramConfig.class, c -> withoutAttention(ctx -> new Bigram(c, ctx))))
                .forEach(spec -> Components.register(binder, spec));
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
