package dev.nanolab.api.metrics;

import dev.nanolab.api.probe.Histogram;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One record of a run: its type ("train", "eval", "probe", or a plugin's own), the iteration it belongs to, its wall
 * time and named values in the order they were put. A value is a {@link Number} (Double, Float, Long or Integer), a
 * {@link String}, a {@link Boolean}, a {@link Histogram}, a nested {@code Map<String, ?>} of such values, or
 * {@code null} (not measured: a skipped step's loss, a probe value that is not finite).
 *
 * @param type      the record type
 * @param iteration the training iteration
 * @param time      wall time, seconds since the epoch
 * @param values    the values, in order; unmodifiable
 */
public record MetricsRecord(String type, long iteration, double time, Map<String, Object> values) {
    /** Keys every sink writes itself; a value may not use them. */
    public static final String TYPE = "type", ITER = "iter", TIME = "time";

    public MetricsRecord {
        if (type == null || type.isBlank()) throw new IllegalArgumentException("a metrics record needs a type");
        Objects.requireNonNull(values, "values");
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(checkKey(type, k), checkValue(type + "." + k, v)));
        values = Collections.unmodifiableMap(copy);
    }

    /** A record of the given type and iteration, timed now, to add values to. */
    public static Builder of(String type, long iteration) {
        return new Builder(type, iteration, System.currentTimeMillis() / 1e3);
    }

    /** A record timed at {@code time} (seconds since the epoch). */
    public static Builder of(String type, long iteration, double time) {
        return new Builder(type, iteration, time);
    }

    private static String checkKey(String type, String key) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("a " + type + " record has an empty key");
        if (key.equals(TYPE) || key.equals(ITER) || key.equals(TIME))
            throw new IllegalArgumentException("a " + type + " record may not set '" + key + "': every sink writes it itself");
        return key;
    }

    private static Object checkValue(String path, Object v) {
        if (v == null || v instanceof Double || v instanceof Float || v instanceof Long || v instanceof Integer
                || v instanceof String || v instanceof Boolean || v instanceof Histogram) return v;
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> {
                if (!(k instanceof String s) || s.isEmpty()) throw new IllegalArgumentException(path + ": nested keys must be non-empty strings, got " + k);
                copy.put(s, checkValue(path + "." + s, x));
            });
            return Collections.unmodifiableMap(copy);
        }
        throw new IllegalArgumentException(path + ": a metrics value must be a number, string, boolean, histogram, map or null, not a "
                + v.getClass().getName());
    }

    /** Builds a record value by value, keeping their order. */
    public static final class Builder {
        private final String type;
        private final long iteration;
        private final double time;
        private final Map<String, Object> values = new LinkedHashMap<>();

        private Builder(String type, long iteration, double time) {
            this.type = type;
            this.iteration = iteration;
            this.time = time;
        }

        /** Adds (or replaces) a value; see {@link MetricsRecord} for what a value may be. */
        public Builder put(String key, Object value) {
            values.put(key, value);
            return this;
        }

        public MetricsRecord build() {
            return new MetricsRecord(type, iteration, time, values);
        }
    }
}
