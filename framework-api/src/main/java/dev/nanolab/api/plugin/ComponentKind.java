package dev.nanolab.api.plugin;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.embedding.EmbeddingVariant;
import dev.nanolab.api.experiment.Experiment;
import dev.nanolab.api.metrics.MetricsSink;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A kind of component. Within a kind every component has a unique name, which is how configs refer to it
 * ({@code model: {name: gpt}}, {@code --set model.attention=softmax1}).
 *
 * <p>The kinds below are built in; a plugin adds a kind of its own by declaring it in its module with
 * {@link Components#declare} (and exporting the kind's component type), after which other plugins contribute to it
 * as to any other kind and configs reference it through {@code ComponentRef<ThatType>}. Two kinds are the same
 * kind when their ids are equal; one component type belongs to at most one kind.
 *
 * @param id    the kind's name in configs and listings
 * @param type  what a component of this kind is, once created from its config
 * @param title a short human title, plural ("attention variants")
 * @param <T>   the component type
 */
public record ComponentKind<T>(String id, Class<T> type, String title) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

    public ComponentKind {
        if (id == null || !ID.matcher(id).matches())
            throw new IllegalArgumentException("component kind id '" + id + "' must match " + ID.pattern());
        if (type == null) throw new IllegalArgumentException("component kind '" + id + "' needs a type");
        if (title == null || title.isBlank()) throw new IllegalArgumentException("component kind '" + id + "' needs a title");
    }

    public static final ComponentKind<AttentionVariant> ATTENTION =
            new ComponentKind<>("attention", AttentionVariant.class, "attention variants");
    public static final ComponentKind<TokenizerFactory> TOKENIZER =
            new ComponentKind<>("tokenizer", TokenizerFactory.class, "tokenizers");
    public static final ComponentKind<OptimizerFactory> OPTIMIZER =
            new ComponentKind<>("optimizer", OptimizerFactory.class, "optimizers");
    public static final ComponentKind<LrSchedule> SCHEDULE =
            new ComponentKind<>("schedule", LrSchedule.class, "learning-rate schedules");
    /** A model's input embedding ({@code model.embedding}: token, mot). */
    public static final ComponentKind<EmbeddingVariant> EMBEDDING =
            new ComponentKind<>("embedding", EmbeddingVariant.class, "input embeddings");
    public static final ComponentKind<Architecture> ARCHITECTURE =
            new ComponentKind<>("architecture", Architecture.class, "model architectures");
    public static final ComponentKind<BackendFactory> BACKEND =
            new ComponentKind<>("backend", BackendFactory.class, "compute backends");
    public static final ComponentKind<DatasetRecipe> DATASET =
            new ComponentKind<>("dataset", DatasetRecipe.class, "dataset recipes");
    public static final ComponentKind<Probe> PROBE =
            new ComponentKind<>("probe", Probe.class, "probes");
    public static final ComponentKind<Experiment> EXPERIMENT =
            new ComponentKind<>("experiment", Experiment.class, "experiments");
    /** Where a run's records go (the run config's {@code metrics: [jsonl, csv, tensorboard]}). */
    public static final ComponentKind<MetricsSink> METRICS_SINK =
            new ComponentKind<>("metrics-sink", MetricsSink.class, "metrics sinks");

    /** The kinds framework-api defines, in listing order; {@link ComponentRegistry#kinds()} adds the plugins' own. */
    public static List<ComponentKind<?>> builtIn() {
        return List.of(ATTENTION, EMBEDDING, TOKENIZER, OPTIMIZER, SCHEDULE, ARCHITECTURE, BACKEND, DATASET, PROBE, EXPERIMENT, METRICS_SINK);
    }

    @Override
    public String toString() {
        return id;
    }
}
