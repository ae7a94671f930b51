/**
 * nanolab's framework API: what plugins, experiments and the launcher are written against.
 *
 * <ul>
 *   <li>{@link dev.nanolab.api.plugin} — the plugin SPI and component registration;</li>
 *   <li>{@link dev.nanolab.api.config} — typed config records and component references;</li>
 *   <li>{@link dev.nanolab.api.tokenizer}, {@link dev.nanolab.api.data} — tokenizers and corpora.</li>
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
    exports dev.nanolab.api.tensor;
    exports dev.nanolab.api.nn;
    exports dev.nanolab.api.attention;
    exports dev.nanolab.api.optim;
    exports dev.nanolab.api.model;
    exports dev.nanolab.api.probe;
    exports dev.nanolab.api.experiment;
    exports dev.nanolab.api.sweep;

    uses dev.nanolab.api.plugin.Plugin;
}
