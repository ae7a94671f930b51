package dev.nanolab.training.train;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.optim.LrSchedule;
import dev.nanolab.api.optim.OptimizerFactory;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.data.DataPreparer;
import dev.nanolab.training.data.PreparedData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A run's components, made from its config: the backend, the prepared data (prepared now if missing), the model,
 * the optimizer factory and the schedule. The seed fixes the initial weights, the batches and the dropout masks
 * through separate generators.
 */
public final class TrainingRun implements AutoCloseable {
    private final RunConfig config;
    private final String configYaml;
    private final ComponentRegistry registry;
    private final Backend backend;
    private final PreparedData data;
    private final LanguageModel model;
    private final Rng dropoutRng;

    private TrainingRun(RunConfig config, String configYaml, ComponentRegistry registry, Backend backend, PreparedData data,
                        LanguageModel model, Rng dropoutRng) {
        this.config = config;
        this.configYaml = configYaml;
        this.registry = registry;
        this.backend = backend;
        this.data = data;
        this.model = model;
        this.dropoutRng = dropoutRng;
    }

    /** Prepares the data if needed, opens the backend and builds a freshly initialised model. */
    public static TrainingRun open(RunConfig config, String configYaml, ComponentRegistry registry, PrintStream log) throws IOException {
        PreparedData data = prepare(config, registry, log);
        long heap = Runtime.getRuntime().maxMemory();
        java.util.Optional<MemoryEstimate> before;
        try {
            // Before anything is allocated: refuse a model that cannot fit, naming the figures and the flag.
            before = MemoryEstimate.fromConfig(config, data.tokenizer().vocabSize());
            before.ifPresent(e -> e.check(heap, log));
        } catch (RuntimeException e) {
            data.close();
            throw e;
        }
        Backend backend = config.backend().create(registry).open();
        try {
            ModelContext context = config.modelContext(backend, data.tokenizer().vocabSize(), registry, data.tokenizer());
            Architecture arch = config.model().create(registry);
            LanguageModel model = arch.build(context);
            model.namedParameters(); // names the tensors
            if (config.initFromFolder()) {
                dev.nanolab.training.hf.HfInit.open(Path.of(config.initFrom())).loadInto(model);
                log.println("init_from " + config.initFrom() + ": loaded its weights (Hugging Face GPT-2 layout)");
            }
            MemoryEstimate counted = MemoryEstimate.fromModel(model, config);
            if (before.isEmpty()) counted.check(heap, log);
            return new TrainingRun(config, configYaml, registry, backend, data, model, context.dropoutRng());
        } catch (RuntimeException | IOException e) {
            backend.close();
            data.close();
            throw e;
        }
    }

    /** The prepared data for a config: prepared into its folder under {@code data.dir} unless already there. */
    public static PreparedData prepare(RunConfig config, ComponentRegistry registry, PrintStream log) throws IOException {
        return prepare(config, registry, log, false);
    }

    /**
     * The prepared data for a config; with {@code repair}, a prepared folder that does not open (a corrupt or
     * truncated file, another tokenizer's files) is deleted file by file and prepared again, and when that cannot be
     * done the error names the files to delete.
     */
    public static PreparedData prepare(RunConfig config, ComponentRegistry registry, PrintStream log, boolean repair) throws IOException {
        TokenizerFactory tokenizer = config.tokenizer().create(registry);
        var format = config.data().format();
        if (!config.data().path().isBlank()) {
            Path given = Path.of(config.data().path());
            log.println("using the token files in " + given + " (format " + format.name().toLowerCase(java.util.Locale.ROOT) + ")");
            return PreparedData.open(given, tokenizer, format);
        }
        DatasetRecipe recipe = config.dataset().create(registry);
        String key = config.dataset() + "|" + config.tokenizer() + "|" + config.data().valFraction() + "|" + config.data().split()
                + (format == dev.nanolab.training.config.DataConfig.Format.NANOLAB ? "" : "|" + format);
        Path dir = DataPreparer.folder(config.data(), config.dataset().name(), config.tokenizer().name(), key);
        if (PreparedData.exists(dir)) {
            if (!repair) {
                try {
                    return PreparedData.open(dir, tokenizer, format);
                } catch (IOException e) {
                    throw new IOException(e.getMessage() + (e.getMessage().contains("nanolab prepare") ? "" : "; run nanolab prepare with the same config to rebuild it"), e);
                }
            }
            try {
                return PreparedData.open(dir, tokenizer, format);
            } catch (IOException | RuntimeException e) {
                log.println("repairing " + dir + ": " + e.getMessage().lines().findFirst().orElse(""));
                java.util.List<Path> files = new java.util.ArrayList<>();
                for (String f : PreparedData.FILES) files.add(dir.resolve(f));
                try {
                    for (Path f : files) java.nio.file.Files.deleteIfExists(f);
                } catch (IOException d) {
                    throw new IOException("the prepared folder " + dir + " is broken (" + e.getMessage().lines().findFirst().orElse("")
                            + ") and could not be repaired (" + d.getMessage() + "); delete " + files.stream().map(Path::toString)
                            .collect(java.util.stream.Collectors.joining(", ")) + " and run nanolab prepare again", d);
                }
            }
        }
        TextCorpus corpus = recipe.open();
        return new DataPreparer(log).prepare(dir, corpus, tokenizer, config.data(), key);
    }

    public RunConfig config() {
        return config;
    }

    public String configYaml() {
        return configYaml;
    }

    public ComponentRegistry registry() {
        return registry;
    }

    public Backend backend() {
        return backend;
    }

    public PreparedData data() {
        return data;
    }

    public LanguageModel model() {
        return model;
    }

    public Rng dropoutRng() {
        return dropoutRng;
    }

    public OptimizerFactory optimizerFactory() {
        return config.optimizer().create(registry);
    }

    public LrSchedule schedule() {
        return config.schedule().create(registry);
    }

    @Override
    public void close() {
        data.close();
        backend.close();
    }
}
