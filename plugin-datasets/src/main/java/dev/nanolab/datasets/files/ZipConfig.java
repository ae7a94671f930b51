package dev.nanolab.datasets.files;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.datasets.corpus.Options;
import java.util.List;

/**
 * Options of the {@code zip:PATH} dataset.
 *
 * @param path     the zip file; {@code zip:data/books.zip} sets it
 * @param include  glob patterns on the entry path ({@code *.txt}, {@code books/**}); empty for every entry
 * @param maxBytes stop after this many bytes of UTF-8 text (the last document is cut); 0 for all of it
 */
public record ZipConfig(
        @Doc("the zip file (set by zip:PATH)")
        String path,
        @Doc("glob patterns on the entry path, e.g. *.txt or books/** (a pattern without '/' matches the file name); empty = every entry")
        List<String> include,
        @Doc("stop after this many bytes of UTF-8 text, cutting the last document; 0 = all of it")
        @Range(min = 0)
        long maxBytes) {

    public ZipConfig {
        if (path == null) path = "";
        include = include == null ? List.of() : List.copyOf(include);
        Options.checkIncludes(include);
        Options.checkMaxBytes(maxBytes);
    }

    /** No path yet: {@code zip:PATH} gives one. */
    public ZipConfig() {
        this("", List.of(), 0);
    }
}
