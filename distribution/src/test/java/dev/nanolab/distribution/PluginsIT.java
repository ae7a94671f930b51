package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution lists its plugins, and an out-of-tree plugin dropped into a folder loads and is usable by name. */
class PluginsIT {
    @TempDir
    Path dir;

    private static List<String> names(JsonNode root, String kind) {
        List<String> out = new ArrayList<>();
        root.get("components").get(kind).forEach(n -> out.add(n.get("name").asText()));
        return out;
    }

    @Test
    void builtInComponentsAreListed() throws Exception {
        Nanolab.Result r = Nanolab.run(dir, "plugins", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(names(root, "attention")).contains("softmax", "softmax1", "sliding-window", "clipped-softmax", "gated");
        assertThat(names(root, "architecture")).contains("gpt");
        assertThat(names(root, "backend")).contains("cpu");
        assertThat(names(root, "tokenizer")).contains("char", "byte", "bpe", "tiktoken:gpt2");
        assertThat(names(root, "dataset")).contains("jdk-source", "text:");
        assertThat(names(root, "attention")).doesNotContain("quiet-example");
    }

    @Test
    void theExamplePluginLoadsFromAFolderTrainsByNameAndStaysOutWhenNotListed() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("my-plugins"));
        try (var jars = Files.list(Nanolab.EXAMPLES)) {
            for (Path jar : jars.toList()) Files.copy(jar, plugins.resolve(jar.getFileName()));
        }
        Nanolab.Result listed = Nanolab.run(dir, "--plugin-path", plugins.toString(), "plugins", "--json");
        assertThat(listed.code()).as(listed.err()).isZero();
        assertThat(names(new ObjectMapper().readTree(listed.out()), "attention")).contains("quiet-example");

        // Usable by name: a short training run with the example's attention, configured through its own option.
        Path cfg = Nanolab.tinyConfig(dir, 3, 3);
        Nanolab.Result trained = Nanolab.run(dir, "--plugin-path", plugins.toString(), "train", "--config", cfg.toString(),
                "--set", "model.attention=quiet-example", "--set", "model.attention.temperature=2");
        assertThat(trained.code()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("step 3: train loss");
        assertThat(Files.readString(dir.resolve("run/config.yaml"))).contains("name: \"quiet-example\"").contains("temperature: 2.0");

        String builtIns = "dev.nanolab.cpu,dev.nanolab.attention,dev.nanolab.models,dev.nanolab.optimizers,dev.nanolab.tokenizers,dev.nanolab.datasets";
        Nanolab.Result without = Nanolab.run(dir, "--plugin-path", plugins.toString(), "--modules", builtIns, "plugins", "--json");
        assertThat(without.code()).as(without.err()).isZero();
        assertThat(names(new ObjectMapper().readTree(without.out()), "attention")).doesNotContain("quiet-example").contains("softmax");
    }
}
