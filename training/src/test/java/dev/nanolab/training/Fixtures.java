package dev.nanolab.training;

import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.attention.AttentionPlugin;
import dev.nanolab.cpu.CpuBackendFactory;
import dev.nanolab.cpu.CpuPlugin;
import dev.nanolab.models.ModelsPlugin;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.optimizers.AdamW;
import dev.nanolab.optimizers.OptimizersPlugin;
import dev.nanolab.optimizers.schedules.WarmupCosine;
import dev.nanolab.tokenizers.TokenizersPlugin;
import dev.nanolab.tracking.TrackingPlugin;
import dev.nanolab.training.config.DataConfig;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.config.SampleConfig;
import dev.nanolab.training.config.TrainConfig;
import java.nio.file.Path;

/** A registry of the built-in plugins plus an in-memory dataset, and tiny run configs. */
final class Fixtures {
    /** Java-like text, repetitive enough that a tiny model learns it in a few dozen steps. */
    static final String TEXT;

    static {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 400; i++)
            sb.append("public int get").append(i % 7).append("() { return value").append(i % 5).append("; }\n");
        TEXT = sb.toString();
    }

    /** A test plugin: version 1, built against this framework-api; subclasses add their provider methods. */
    public abstract static class TestPlugin extends AbstractModule implements Plugin {
        @Override
        public String version() {
            return "1";
        }

        @Override
        public String apiVersion() {
            return NanolabApi.VERSION;
        }
    }

    /** The {@code tiny-text} dataset: {@link #TEXT} as 40 documents. */
    public static final class TinyTextPlugin extends TestPlugin {
        @ProvidesIntoSet
        public ComponentSpec<?, DatasetRecipe> tinyText() {
            return ComponentSpec.of(ComponentKind.DATASET, "tiny-text", "in-memory Java-like text", NoOptions.class, c -> () -> {
                String[] docs = new String[40];
                int per = TEXT.length() / 40;
                for (int i = 0; i < 40; i++) docs[i] = TEXT.substring(i * per, i == 39 ? TEXT.length() : (i + 1) * per);
                return TextCorpus.of("tiny-text", docs);
            });
        }
    }

    static final ComponentRegistry REGISTRY = ComponentRegistry.of(new AttentionPlugin(), new ModelsPlugin(),
            new OptimizersPlugin(), new TokenizersPlugin(), new CpuPlugin(), new TinyTextPlugin(),
            new TrackingPlugin());

    static <T> ComponentRef<T> ref(ComponentKind<T> kind, String name, Record options) {
        return new ComponentRef<>(kind, name, options);
    }

    /** A 2-layer, 32-wide GPT on tiny-text with characters, evaluating every {@code evalInterval} steps. */
    static RunConfig config(Path dir, long maxIters, long evalInterval, double lr, String attention) {
        ComponentRef<AttentionVariant> att = ref(ComponentKind.ATTENTION, attention, new NoOptions());
        GptConfig gpt = new GptConfig(2, 2, 32, 16, 0, 0.1f, true, att);
        ComponentRef<DatasetRecipe> data = ref(ComponentKind.DATASET, "tiny-text", new NoOptions());
        ComponentRef<TokenizerFactory> tok = ref(ComponentKind.TOKENIZER, "char", REGISTRY.spec(ComponentKind.TOKENIZER, "char").defaults());
        ComponentRef<Architecture> model = ref(ComponentKind.ARCHITECTURE, "gpt", gpt);
        ComponentRef<OptimizerFactory> opt = ref(ComponentKind.OPTIMIZER, "adamw", new AdamW.Config(lr, 0.9, 0.99, 1e-8, 0.1));
        ComponentRef<LrSchedule> sched = ref(ComponentKind.SCHEDULE, "warmup-cosine", new WarmupCosine.Config(5, Math.max(6, maxIters), lr / 10));
        ComponentRef<BackendFactory> be = ref(ComponentKind.BACKEND, "cpu", new CpuBackendFactory.Config(2, false));
        TrainConfig train = new TrainConfig(4, 2, maxIters, evalInterval, 3, 1, false, true, 1.0, 1e9, false);
        return new RunConfig(7, dir.resolve("run").toString(), data, tok, new DataConfig(0.1, DataConfig.Split.AUTO, dir.resolve("data").toString()),
                model, opt, dev.nanolab.api.optim.ParamGroupRules.nanoGPT(), sched, be, train, new SampleConfig());
    }
}
