package dev.nanolab.training.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Configs shipped with nanolab: {@code shakespeare-char}, {@code cpu-demo}, {@code gpt2-124m}, {@code demo}. */
public final class Presets {
    public static final List<String> NAMES = List.of("shakespeare-char", "cpu-demo", "gpt2-124m", "demo", "lstm-demo", "wavenet-demo", "mlp-demo", "bigram", "speedrun-baseline", "speedrun-modern");

    private Presets() {}

    /** The YAML text of a preset. */
    public static String yaml(String name) {
        if (!NAMES.contains(name))
            throw new IllegalArgumentException("unknown preset '" + name + "' (presets: " + String.join(", ", NAMES) + ")");
        try (InputStream in = Presets.class.getResourceAsStream("/dev/nanolab/training/presets/" + name + ".yaml")) {
            if (in == null) throw new IllegalStateException("preset " + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
