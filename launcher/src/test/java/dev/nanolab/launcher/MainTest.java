package dev.nanolab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nanolab.api.NanolabApi;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: listing plugins, and how errors reach the user. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void pluginsListsModulesAndComponentsAsTextAndJson() throws Exception {
        PluginJars.build(dir, "test.alpha", PluginJars.attentionPlugin("test.alpha", "test.alpha", "alpha-attention", NanolabApi.VERSION, null), null);
        Cli.Result text = Cli.run("plugins", "--plugin-path", dir.toString());
        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("test.alpha").contains("alpha-attention").contains("Attention variants (attention)");
        Cli.Result json = Cli.run("--plugin-path", dir.toString(), "plugins", "--json");
        assertThat(json.code()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("plugins").get(0).get("module").asText()).isEqualTo("test.alpha");
        assertThat(root.get("components").get("attention").get(0).get("name").asText()).isEqualTo("alpha-attention");
    }

    @Test
    void aBadPluginIsOneLineWithoutVerboseAndAStackTraceWith() throws Exception {
        PluginJars.build(dir, "test.broken", PluginJars.attentionPlugin("test.broken", "test.broken", "x", NanolabApi.VERSION,
                "protected void configure() { throw new IllegalStateException(\"boom\"); }"), null);
        Cli.Result quiet = Cli.run("plugins", "--plugin-path", dir.toString());
        assertThat(quiet.code()).isEqualTo(Main.USER_ERROR);
        assertThat(quiet.err().strip()).startsWith("nanolab: plugin module test.broken").contains("boom").doesNotContain("\n");
        Cli.Result verbose = Cli.run("plugins", "--verbose", "--plugin-path", dir.toString());
        assertThat(verbose.err()).contains("PluginLoadException").contains("PluginLoader.checkedModule");
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        Cli.Result r = Cli.run("plugins", "--jsn");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--jsn'");
    }
}
