package dev.nanolab.datasets.files;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.datasets.corpus.Options;
import java.util.List;

/**
 * Options of the {@code text:PATH} dataset.
 *
 * @param path     the file or folder; {@code text:data/books} sets it
 * @param include  for a folder, glob patterns on the path relative to it ({@code *.md}, {@code src/**}); empty for
 *                 every file
 * @param maxBytes stop after this many bytes of UTF-8 text (the last document is cut); 0 for all of it
 */
public record TextConfig(
        @Doc("a text file, or a folder read recursively (set by text:PATH)")
        String path,
        @Doc("for a folder: glob patterns on the relative path, e.g. *.md or src/** (a pattern without '/' matches the file name); empty = every file")
        List<String> include,
        @Doc("stop after this many bytes of UTF-8 text, cutting the last document; 0 = all of it")
        @Range(min = 0)
        long maxBytes) {

    public TextConfig {
        if (path == null) path = "";
        include = include == null ? List.of() : List.copyOf(include);
        Options.checkIncludes(include);
        Options.checkMaxBytes(maxBytes);
    }

    /** No path yet: {@code text:PATH} gives one. */
    public TextConfig() {
        this("", List.of(), 0);
    }
}
