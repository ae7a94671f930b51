package dev.nanolab.datasets.jdk;

import dev.nanolab.api.data.DatasetRecipe;
import dev.nanolab.api.data.TextCorpus;
import dev.nanolab.datasets.corpus.Glob;
import dev.nanolab.datasets.corpus.Options;
import dev.nanolab.datasets.corpus.ZipCorpus;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * The {@code jdk-source} dataset: the Java sources every JDK ships in {@code $JAVA_HOME/lib/src.zip} (about 213 MB of
 * Java in 15,000 files, 50 MB zipped), so a first experiment needs no download. Its documents are the zip's
 * {@code .java} entries in the zip's order, named by their path ({@code java.base/java/lang/Object.java}).
 */
public final class JdkSourceRecipe implements DatasetRecipe {
    public static final String NAME = "jdk-source";

    private final JdkSourceConfig config;
    private final String javaHome;

    public JdkSourceRecipe(JdkSourceConfig config) {
        this(config, System.getProperty("java.home"));
    }

    /** As if running on the Java installation at javaHome: for tests. */
    JdkSourceRecipe(JdkSourceConfig config, String javaHome) {
        this.config = config;
        this.javaHome = javaHome;
    }

    /** The src.zip this recipe reads: the configured one, or the running JDK's. */
    public Path srcZip() {
        if (!config.srcZip().isEmpty()) return Options.path(config.srcZip());
        return Path.of(javaHome, "lib", "src.zip");
    }

    /**
     * @throws FileNotFoundException when there is no src.zip, with a one-line message naming the path and what to do
     */
    @Override
    public TextCorpus open() throws IOException {
        Path zip = srcZip().toAbsolutePath();
        if (!Files.isRegularFile(zip)) {
            String whose = config.srcZip().isEmpty()
                    ? "this Java runtime (" + javaHome + ") was installed without its sources (a JRE, or a JDK without"
                            + " src.zip); run nanolab on a JDK that has lib/src.zip (e.g. Temurin's, or add Debian's"
                            + " openjdk-NN-source package), set src_zip to another JDK's src.zip, or use text:PATH"
                    : "set src_zip to a JDK's lib/src.zip, or leave it empty for the running JDK's";
            throw new FileNotFoundException(NAME + ": no JDK sources at " + zip + "; " + whose);
        }
        ZipCorpus.check(NAME, zip);
        Predicate<String> include = Glob.anyOf(config.include());
        return new ZipCorpus(NAME, zip, path -> path.endsWith(".java") && include.test(path), config.maxBytes());
    }
}
