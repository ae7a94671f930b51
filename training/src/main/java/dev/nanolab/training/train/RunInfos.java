package dev.nanolab.training.train;

import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.metrics.RunInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** This session's {@link RunInfo}: the host, nanolab's version and the working directory's git commit. */
final class RunInfos {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}([0-9a-f]{24})?");

    private RunInfos() {}

    static RunInfo current(Path runDir, String configYaml) {
        Path name = runDir.toAbsolutePath().normalize().getFileName();
        return new RunInfo(name == null ? runDir.toString() : name.toString(), host(), NanolabApi.version(), gitCommit(),
                configYaml, Instant.now());
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /** {@code git rev-parse HEAD} in the working directory, or empty (not a checkout, no git, or it took over 5 s). */
    static Optional<String> gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 && COMMIT.matcher(out).matches() ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
