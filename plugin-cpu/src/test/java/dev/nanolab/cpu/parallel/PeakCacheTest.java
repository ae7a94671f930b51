package dev.nanolab.cpu.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The peak MFU is quoted against is the highest this CPU has shown, so a busy-machine measurement cannot push MFU over 100%. */
class PeakCacheTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheRunningMaximumPerKeyAcrossInstances() {
        Path file = dir.resolve("sub/peak-flops.properties");
        assertThat(new PeakCache(file).best("cpu-a", 200e9)).isEqualTo(200e9);
        assertThat(new PeakCache(file).best("cpu-a", 50e9)).as("a busy machine measures low: the cache wins").isEqualTo(200e9);
        assertThat(new PeakCache(file).best("cpu-a", 250e9)).isEqualTo(250e9);
        assertThat(new PeakCache(file).best("cpu-a", 1)).isEqualTo(250e9);
        assertThat(new PeakCache(file).best("cpu-b", 10e9)).as("other CPUs have their own entry").isEqualTo(10e9);
    }

    @Test
    void aDamagedOrUnwritableCacheOnlyLosesItsMemory() throws Exception {
        Path file = dir.resolve("peak-flops.properties");
        Files.writeString(file, "cpu-a=not a number\n\\u12");
        assertThat(new PeakCache(file).best("cpu-a", 7e9)).isEqualTo(7e9);
        Path blocked = dir.resolve("file-not-folder");
        Files.writeString(blocked, "x");
        assertThat(new PeakCache(blocked.resolve("peak.properties")).best("cpu-a", 3e9)).isEqualTo(3e9);
    }

    @Test
    void theCpuKeyNamesTheVectorWidthAndThreads() {
        assertThat(PeakCache.cpuKey(2, 512)).endsWith("512-bit_x2").doesNotContain(" ");
    }
}
