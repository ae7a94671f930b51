package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checkout's {@code ./nanolab} rebuilds the distribution when it is out of date, a change of TornadoVM SDK
 * included (issue 19: setting TORNADOVM_HOME must be enough to get the TornadoVM plugin shipped).
 *
 * <p>The real script runs in a sandbox checkout whose {@code mvnw} only records that it was called (and, like the
 * distribution's {@code tornadovm} profile, ships a plugin-tornadovm jar where the SDK's argfile exists) and whose
 * {@code bin/nanolab} only echoes, so no build runs and no TornadoVM SDK is needed: the SDKs here are folders holding
 * an empty {@code tornado-argfile-nanolab}.
 */
class RootScriptIT {
    /** The repository's own ./nanolab (failsafe runs in distribution/, the property is set by the pom). */
    private static final Path SCRIPT = Path.of(System.getProperty("nanolab.checkout", "..")).resolve("nanolab");

    @TempDir
    Path dir;

    private Path checkout;
    private Path buildsLog;
    private Path shippedPlugin;

    private record Run(int code, String out, String err) {}

    @BeforeEach
    void sandbox() throws IOException {
        checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.copy(SCRIPT, checkout.resolve("nanolab"));
        buildsLog = checkout.resolve("builds.log");
        Path plugins = checkout.resolve("distribution/target/nanolab/plugins");
        shippedPlugin = plugins.resolve("plugin-tornadovm-0.1.0-SNAPSHOT.jar");
        executable(checkout.resolve("mvnw"), """
                #!/bin/sh
                echo "$*" >> "%s"
                mkdir -p "%s"
                if [ -n "${TORNADOVM_HOME-}" ] && [ -f "$TORNADOVM_HOME/tornado-argfile-nanolab" ]; then touch "%s"; fi
                """.formatted(buildsLog, plugins, shippedPlugin));
        executable(Files.createDirectories(checkout.resolve("distribution/target/nanolab/bin")).resolve("nanolab"), """
                #!/bin/sh
                echo "ran $*"
                """);
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run run(Path tornadovmHome, boolean dryRun) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", checkout.resolve("nanolab").toString(), "plugins").directory(dir.toFile());
        pb.environment().remove("TORNADOVM_HOME");
        pb.environment().remove("NANOLAB_BUILD_DRY_RUN");
        if (tornadovmHome != null) pb.environment().put("TORNADOVM_HOME", tornadovmHome.toString());
        if (dryRun) pb.environment().put("NANOLAB_BUILD_DRY_RUN", "1");
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private int builds() throws IOException {
        return Files.exists(buildsLog) ? Files.readAllLines(buildsLog).size() : 0;
    }

    private Path fakeSdk(String name) throws IOException {
        Path sdk = Files.createDirectories(dir.resolve(name));
        Files.writeString(sdk.resolve("tornado-argfile-nanolab"), "");
        return sdk;
    }

    /** Runs ./nanolab and checks whether it built, and that it then ran the distribution. */
    private Run expect(Path tornadovmHome, boolean builds) throws IOException, InterruptedException {
        int before = builds();
        Run r = run(tornadovmHome, false);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("ran plugins\n");
        assertThat(builds()).as(r.err()).isEqualTo(before + (builds ? 1 : 0));
        return r;
    }

    @Test
    void rebuildsWhenTornadovmHomeIsSetChangedOrUnset() throws Exception {
        Path sdkA = fakeSdk("sdk-a"), sdkB = fakeSdk("sdk-b");

        assertThat(expect(null, true).err()).contains("no build yet");
        expect(null, false);
        assertThat(shippedPlugin).doesNotExist();

        // The case: an existing build, then TORNADOVM_HOME is set.
        assertThat(expect(sdkA, true).err()).contains("TornadoVM SDK changed").contains("built with: none").contains(sdkA.toRealPath().toString());
        assertThat(shippedPlugin).exists();
        expect(sdkA, false);

        // Another SDK; then the same SDK rebuilt (its argfile rewritten).
        expect(sdkB, true);
        expect(sdkB, false);
        Files.setLastModifiedTime(sdkB.resolve("tornado-argfile-nanolab"), FileTime.from(Instant.now().plusSeconds(100)));
        expect(sdkB, true);
        expect(sdkB, false);

        // Unset: rebuilt, and the plugin the last build shipped is gone.
        expect(null, true);
        assertThat(shippedPlugin).doesNotExist();
        // A TORNADOVM_HOME without nanolab's argfile is no SDK, as for the build's profile.
        expect(Files.createDirectories(dir.resolve("not-an-sdk")), false);
    }

    @Test
    void rebuildsWhenSourcesChangeAndAStampFromBeforeTheSdkWasRecordedCountsAsUnknown() throws Exception {
        expect(null, true);
        Path source = Files.createDirectories(checkout.resolve("some-module/src/main/java")).resolve("A.java");
        Files.writeString(source, "class A {}");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(100)));
        assertThat(expect(null, true).err()).contains("sources changed (some-module/src/main/java/A.java)");
        Files.delete(source);

        // A stamp written by the script before it recorded the SDK (an empty .built): one rebuild, then up to date.
        Files.writeString(checkout.resolve("distribution/target/nanolab/.built"), "");
        assertThat(expect(null, true).err()).contains("built with: unknown");
        expect(null, false);
    }

    @Test
    void dryRunSaysWhetherItWouldBuildAndDoesNothing() throws Exception {
        Path sdk = fakeSdk("sdk");
        Run first = run(sdk, true);
        assertThat(first.code()).isZero();
        assertThat(first.out()).isEqualTo("nanolab: would build the distribution: no build yet\n");
        assertThat(builds()).isZero();

        expect(sdk, true);
        assertThat(run(sdk, true).out()).isEqualTo("nanolab: the distribution is up to date\n");
        Run unset = run(null, true);
        assertThat(unset.out()).startsWith("nanolab: would build the distribution: TornadoVM SDK changed").contains("now: none");
        assertThat(builds()).isEqualTo(1);
    }
}
