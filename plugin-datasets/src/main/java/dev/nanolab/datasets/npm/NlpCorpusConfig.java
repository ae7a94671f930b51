package dev.nanolab.datasets.npm;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.datasets.corpus.Options;

/**
 * Options of the {@code npm:nlp-corpus} dataset.
 *
 * @param version    the package version; the format was checked at 4.4.0
 * @param maxBytes   stop after this many bytes of UTF-8 text (the last document is cut); 0 for all of it
 * @param cacheDir   where packages are cached; empty for {@code ~/.cache/nanolab/npm}
 * @param npmCommand the npm client that fetches the package when it is not cached
 * @param tarball    a downloaded {@code nlp-corpus-<version>.tgz} to use instead of fetching one with npm
 */
public record NlpCorpusConfig(
        @Doc("version of the nlp-corpus npm package (exact: the cache is kept per version)")
        String version,
        @Doc("stop after this many bytes of UTF-8 text, cutting the last document; 0 = all of it (about 9 MB)")
        @Range(min = 0)
        long maxBytes,
        @Doc("folder of cached npm packages; empty = $XDG_CACHE_HOME/nanolab/npm or ~/.cache/nanolab/npm")
        String cacheDir,
        @Doc("the npm client that fetches the package (npm pack) when it is not in the cache")
        String npmCommand,
        @Doc("a downloaded nlp-corpus .tgz to unpack instead of fetching with npm; empty = fetch")
        String tarball) {

    /** The version whose format {@link NlpCorpusRecipe} was written against. */
    public static final String VERSION = "4.4.0";

    public NlpCorpusConfig {
        if (cacheDir == null) cacheDir = "";
        if (tarball == null) tarball = "";
        Options.checkVersion(version);
        Options.checkMaxBytes(maxBytes);
        Options.checkCommand(npmCommand);
    }

    /** All of the corpus, fetched with npm into the default cache. */
    public NlpCorpusConfig() {
        this(VERSION, 0, "", "npm", "");
    }

    NpmRecipe.NpmOptions npm() {
        return new NpmRecipe.NpmOptions(version, cacheDir, npmCommand, tarball);
    }
}
