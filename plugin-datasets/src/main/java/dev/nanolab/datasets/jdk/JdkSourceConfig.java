package dev.nanolab.datasets.jdk;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.datasets.corpus.Options;
import java.util.List;

/**
 * Options of the {@code jdk-source} dataset.
 *
 * @param include  glob patterns on the entry path in src.zip ({@code java.base/**}, {@code java.base/java/util/*});
 *                 empty for every {@code .java} entry
 * @param maxBytes stop after this many bytes of UTF-8 text (the last document is cut); 0 for all of it
 * @param srcZip   the src.zip to read; empty for the running JDK's {@code lib/src.zip}
 */
public record JdkSourceConfig(
        @Doc("glob patterns on the entry path, e.g. java.base/** (a pattern without '/' matches the file name); empty = every .java entry")
        List<String> include,
        @Doc("stop after this many bytes of UTF-8 text, cutting the last document; 0 = the whole corpus (about 213 MB)")
        @Range(min = 0)
        long maxBytes,
        @Doc("the src.zip to read; empty = the running JDK's lib/src.zip")
        String srcZip) {

    public JdkSourceConfig {
        include = include == null ? List.of() : List.copyOf(include);
        if (srcZip == null) srcZip = "";
        Options.checkIncludes(include);
        Options.checkMaxBytes(maxBytes);
    }

    /** Every .java file of the running JDK. */
    public JdkSourceConfig() {
        this(List.of(), 0, "");
    }
}
