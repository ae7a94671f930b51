package dev.nanolab.api.plugin;

import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.experiment.Experiment;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of component a plugin can contribute. Within a kind every component has a unique name, which is how
 * configs refer to it ({@code model: {name: gpt}}, {@code --set model.attention=softmax1}).
 *
 * @param id    the kind's name in configs and listings
 * @param type  what a component of this kind is, once created from its config
 * @param title a short human title
 * @param <T>   the component type
 */
public record ComponentKind<T>(String id, Class<T> type, String title) {
    public static final ComponentKind<AttentionVariant> ATTENTION =
            new ComponentKind<>("attention", AttentionVariant.class, "attention variants");
    public static final ComponentKind<TokenizerFactory> TOKENIZER =
            new ComponentKind<>("tokenizer", TokenizerFactory.class, "tokenizers");
    public static final ComponentKind<OptimizerFactory> OPTIMIZER =
            new ComponentKind<>("optimizer", OptimizerFactory.class, "optimizers");
    public static final ComponentKind<LrSchedule> SCHEDULE =
            new ComponentKind<>("schedule", LrSchedule.class, "learning-rate schedules");
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

    private static final List<ComponentKind<?>> ALL =
            List.of(ATTENTION, TOKENIZER, OPTIMIZER, SCHEDULE, ARCHITECTURE, BACKEND, DATASET, PROBE, EXPERIMENT);

    /** Every kind, in listing order. */
    public static List<ComponentKind<?>> all() {
        return ALL;
    }

    /** The kind whose component type is {@code type}, if any. */
    public static Optional<ComponentKind<?>> ofType(Class<?> type) {
        return ALL.stream().filter(k -> k.type == type).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
