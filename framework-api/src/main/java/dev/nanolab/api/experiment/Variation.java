package dev.nanolab.api.experiment;

import java.util.List;

/**
 * One config key and the values it takes, e.g. {@code model.attention} over {@code softmax, softmax1}. Values are
 * written as on the command line ({@code --set key=value}).
 */
public record Variation(String key, List<String> values) {
    public Variation {
        if (key == null || key.isBlank() || key.contains("=")) throw new IllegalArgumentException("bad variation key '" + key + "'");
        values = List.copyOf(values);
        if (values.isEmpty()) throw new IllegalArgumentException("variation " + key + " needs at least one value");
        if (values.stream().distinct().count() != values.size()) throw new IllegalArgumentException("variation " + key + " repeats a value: " + values);
    }
}
