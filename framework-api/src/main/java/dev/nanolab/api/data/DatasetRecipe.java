package dev.nanolab.api.data;

import java.io.IOException;

/**
 * The dataset component ({@link dev.nanolab.api.plugin.ComponentKind#DATASET}): where a corpus comes from and how it
 * is cleaned, e.g. {@code jdk-source} (the running JDK's {@code lib/src.zip}) or {@code text:PATH}.
 */
public interface DatasetRecipe {
    /**
     * Opens the corpus, fetching or unpacking it first if needed.
     *
     * @throws IOException with a message naming the file or source when it cannot be read
     */
    TextCorpus open() throws IOException;
}
