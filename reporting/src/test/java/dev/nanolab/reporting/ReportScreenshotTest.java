package dev.nanolab.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run report as a person sees it: rendered by headless Chromium into a screenshot that must hold the page (not
 * a blank or an error page). Chromium is a Debian package that .ci/run installs; without it a developer's build says
 * so and skips, CI fails.
 */
class ReportScreenshotTest {
    @TempDir
    Path dir;

    private static String chromium() {
        for (String c : List.of("chromium", "chromium-browser", "google-chrome"))
            for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                if (Files.isExecutable(Path.of(d, c))) return Path.of(d, c).toString();
        return null;
    }

    @Test
    void headlessChromiumRendersTheReportWithItsCharts() throws Exception {
        String browser = chromium();
        if (browser == null) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("chromium is not installed: .ci/run installs it (apt-get install chromium)");
            Assumptions.abort("chromium is not installed here (apt-get install chromium); CI runs this test");
        }
        Path run = ReportsTest.fakeRun(dir.resolve("run"), 1, 1.5, true);
        Path html = RunReport.write(run, run.resolve("report"), List.of("public static void main"), "a fake run");
        Path png = dir.resolve("page.png");
        Process p = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--screenshot=" + png, "--window-size=1000,1400", html.toUri().toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("chromium.log").toFile()).start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("chromium finished").isTrue();
        assertThat(png).as(Files.readString(dir.resolve("chromium.log"))).exists();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1000);
        // The page: dark text and the charts' coloured lines, not an empty white (or error-grey) screen.
        int dark = 0, coloured = 0;
        for (int y = 0; y < img.getHeight(); y += 2)
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (r + g + b < 150) dark++;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) coloured++;
            }
        assertThat(dark).as("text on the page").isGreaterThan(500);
        assertThat(coloured).as("chart lines in colour").isGreaterThan(100);
    }
}
