/**
 * nanolab's framework API 1.x: what plugins, experiments and the launcher are written against.
 *
 * <ul>
 *   <li>{@link dev.nanolab.api} — the API version and the rule for which plugins load;</li>
 *   <li>{@link dev.nanolab.api.plugin} — plugins as Guice modules, component kinds, the registry;</li>
 *   <li>{@link dev.nanolab.api.config} — typed config records and component references;</li>
 *   <li>{@link dev.nanolab.api.backend} — the kernel SPI a compute backend implements, over storages it owns, and
 *   {@link dev.nanolab.api.backend.ext} its optional kernel sets;</li>
 *   <li>{@link dev.nanolab.api.tensor} — tensors, reverse-mode autograd, step arenas, seeded random streams;</li>
 *   <li>{@link dev.nanolab.api.nn} — layers and the fused functions they call;</li>
 *   <li>{@link dev.nanolab.api.attention} — attention variants and how a block calls them;</li>
 *   <li>{@link dev.nanolab.api.embedding} — input embeddings (token lookup, mixture of tokenizers);</li>
 *   <li>{@link dev.nanolab.api.model} — architectures, language models, incremental decoders;</li>
 *   <li>{@link dev.nanolab.api.tokenizer}, {@link dev.nanolab.api.data} — tokenizers and corpora;</li>
 *   <li>{@link dev.nanolab.api.optim} — optimizers, parameter groups, learning-rate schedules;</li>
 *   <li>{@link dev.nanolab.api.probe}, {@link dev.nanolab.api.experiment} — measurements at evaluation time, and
 *   experiments as code;</li>
 *   <li>{@link dev.nanolab.api.sweep} — executors that run a sweep's runs (child processes, a Slurm job array);</li>
 *   <li>{@link dev.nanolab.api.metrics} — metrics sinks: where a run's records go (metrics.jsonl, CSV, TensorBoard,
 *   a tracking server).</li>
 * </ul>
 */
module dev.nanolab.api {
    requires transitive com.google.guice;

    exports dev.nanolab.api;
    exports dev.nanolab.api.plugin;
    exports dev.nanolab.api.config;
    exports dev.nanolab.api.tokenizer;
    exports dev.nanolab.api.data;
    exports dev.nanolab.api.backend;
    exports dev.nanolab.api.backend.ext;
    exports dev.nanolab.api.tensor;
    exports dev.nanolab.api.nn;
    exports dev.nanolab.api.attention;
    exports dev.nanolab.api.embedding;
    exports dev.nanolab.api.optim;
    exports dev.nanolab.api.model;
    exports dev.nanolab.api.probe;
    exports dev.nanolab.api.experiment;
    exports dev.nanolab.api.sweep;
    exports dev.nanolab.api.metrics;
    // "Did you mean": the registry's and the config binder's, not part of the API.
    exports dev.nanolab.api.internal to dev.nanolab.launcher;

    uses dev.nanolab.api.plugin.Plugin;
}
