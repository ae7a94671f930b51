package dev.nanolab.launcher.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.ConfigException;
import dev.nanolab.api.config.DefaultComponent;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.internal.Suggestions;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.UnknownComponentException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Binds a config tree onto typed records. Record components are snake_case keys; absent keys keep the record's
 * defaults (its public no-argument constructor); {@link ComponentRef} keys are looked up in the registry and their
 * options bound to the component's own config record. Every error is a {@link ConfigException} naming the full
 * dotted key: an unknown key (with the nearest valid key), a value of the wrong type, a value outside its
 * {@link Range}, an unknown component name.
 *
 * <p>Supported value types: int, long, float, double, boolean (and boxed), String, Path, enums (by name, case and
 * '-'/'_' insensitive), List of a supported type, nested records, and ComponentRef.
 */
public final class ConfigBinder {
    private final ComponentRegistry registry;

    public ConfigBinder(ComponentRegistry registry) {
        this.registry = registry;
    }

    /** camelCase record component → snake_case key. */
    public static String key(String component) {
        StringBuilder sb = new StringBuilder();
        for (char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) sb.append('_').append(Character.toLowerCase(c));
            else sb.append(c);
        }
        return sb.toString();
    }

    public <R extends Record> R bind(JsonNode tree, Class<R> type) {
        return bindRecord(tree == null ? JsonNodeFactory.instance.objectNode() : tree, type, "");
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private <R extends Record> R bindRecord(JsonNode node, Class<R> type, String path) {
        if (!node.isObject()) throw new ConfigException(path, "expected a map of " + describe(type) + " keys, got " + show(node));
        RecordComponent[] comps = type.getRecordComponents();
        R defaults = defaultsOf(type);
        Set<String> keys = new LinkedHashSet<>();
        for (RecordComponent c : comps) keys.add(key(c.getName()));
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) {
                List<String> near = Suggestions.closest(k, keys);
                throw new ConfigException(join(path, k), "unknown key" + (near.isEmpty() ? "" : "; did you mean "
                        + String.join(" or ", near) + "?") + " (valid keys" + (path.isEmpty() ? "" : " of " + path) + ": " + String.join(", ", keys) + ")");
            }
        }
        Object[] args = new Object[comps.length];
        Class<?>[] types = new Class<?>[comps.length];
        for (int i = 0; i < comps.length; i++) {
            RecordComponent c = comps[i];
            types[i] = c.getType();
            String k = key(c.getName()), p = join(path, k);
            JsonNode v = node.get(k);
            Object defaultValue = defaults == null ? null : accessor(c, defaults);
            if (v == null) {
                if (c.getType() == ComponentRef.class && defaultValue == null) {
                    DefaultComponent dc = c.getAnnotation(DefaultComponent.class);
                    if (dc == null) throw new ConfigException(p, "missing: name a " + kindOf(c.getGenericType(), p).id());
                    args[i] = ref(kindOf(c.getGenericType(), p), dc.value(), null, p);
                } else if (defaults == null) {
                    throw new ConfigException(p, "missing required key (" + describe(type) + " has no defaults)");
                } else {
                    args[i] = defaultValue;
                }
            } else if (v.isObject() && c.getType() == ComponentRef.class && !v.has("name")) {
                // Options without a name configure the default component.
                String name = defaultValue instanceof ComponentRef<?> r ? r.name()
                        : c.getAnnotation(DefaultComponent.class) != null ? c.getAnnotation(DefaultComponent.class).value() : null;
                if (name == null) throw new ConfigException(p, "a " + kindOf(c.getGenericType(), p).id() + " given as a map needs a 'name' key");
                ObjectNode named = ((ObjectNode) v).deepCopy();
                named.put("name", name);
                args[i] = value(named, c.getGenericType(), p, null);
            } else if (v.isObject() && c.getType().isRecord() && defaultValue != null) {
                // A partial map overrides only the keys it names: start from the default record's tree.
                ObjectNode merged = (ObjectNode) toTree(defaultValue);
                merged.setAll((ObjectNode) v);
                args[i] = value(merged, c.getGenericType(), p, c.getAnnotation(Range.class));
            } else {
                args[i] = value(v, c.getGenericType(), p, c.getAnnotation(Range.class));
            }
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof ConfigException ce) throw ce;
            throw new ConfigException(path, (t.getMessage() == null ? t.toString() : t.getMessage()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName() + ": it must be a public record in an exported package", e);
        }
    }

    private static <R extends Record> R defaultsOf(Class<R> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defaults of " + type.getName() + " failed", e);
        }
    }

    private static Object accessor(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object value(JsonNode v, Type generic, String path, Range range) {
        Class<?> raw = generic instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) generic;
        if (v.isNull()) {
            if (raw.isPrimitive()) throw new ConfigException(path, "must not be null");
            return null;
        }
        if (raw == int.class || raw == Integer.class) return checkRange(path, range, (int) integer(v, path, Integer.MIN_VALUE, Integer.MAX_VALUE));
        if (raw == long.class || raw == Long.class) return checkRange(path, range, integer(v, path, Long.MIN_VALUE, Long.MAX_VALUE));
        if (raw == double.class || raw == Double.class) return checkRange(path, range, finiteOrRanged(number(v, path), path, range));
        if (raw == float.class || raw == Float.class) return checkRange(path, range, (float) finiteOrRanged(number(v, path), path, range));
        if (raw == boolean.class || raw == Boolean.class) {
            if (v.isBoolean()) return v.booleanValue();
            if (v.isTextual() && (v.asText().equals("true") || v.asText().equals("false"))) return Boolean.parseBoolean(v.asText());
            throw new ConfigException(path, "expected true or false, got " + show(v));
        }
        if (raw == String.class) {
            if (v.isValueNode()) return v.asText();
            throw new ConfigException(path, "expected a string, got " + show(v));
        }
        if (raw == Path.class) {
            if (v.isTextual()) return Path.of(v.asText());
            throw new ConfigException(path, "expected a path, got " + show(v));
        }
        if (raw.isEnum()) return enumValue(raw, v, path);
        if (raw == List.class) {
            Type elem = ((ParameterizedType) generic).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>();
            // A single value where a list is expected is a list of one (so --set probes=kurtosis works).
            List<JsonNode> items = new ArrayList<>();
            if (v.isArray()) v.forEach(items::add);
            else items.add(v);
            for (int i = 0; i < items.size(); i++) {
                Object item = value(items.get(i), elem, path + "[" + i + "]", range);
                // A fuzzing finding: an empty element (YAML null) reached List.copyOf as an NPE.
                if (item == null) throw new ConfigException(path + "[" + i + "]", "a list element cannot be empty");
                out.add(item);
            }
            return List.copyOf(out);
        }
        if (raw == ComponentRef.class) {
            ComponentKind<?> kind = kindOf(generic, path);
            if (v.isTextual()) return ref(kind, v.asText(), null, path);
            if (v.isObject()) {
                JsonNode name = v.get("name");
                if (name == null || !name.isTextual())
                    throw new ConfigException(path, "a " + kind.id() + " given as a map needs a 'name' key");
                ObjectNode options = ((ObjectNode) v).deepCopy();
                options.remove("name");
                return ref(kind, name.asText(), options, path);
            }
            throw new ConfigException(path, "expected a " + kind.id() + " name or a map with 'name', got " + show(v));
        }
        if (raw.isRecord()) {
            @SuppressWarnings("unchecked")
            Class<? extends Record> rt = (Class<? extends Record>) raw;
            return bindRecord(v, rt, path);
        }
        throw new IllegalStateException(path + ": config type " + generic + " is not supported");
    }

    private ComponentRef<?> ref(ComponentKind<?> kind, String name, ObjectNode options, String path) {
        ComponentSpec<?, ?> spec;
        try {
            spec = registry.spec(kind, name);
        } catch (UnknownComponentException e) {
            throw new ConfigException(path, e.getMessage());
        }
        ObjectNode given = options == null ? JsonNodeFactory.instance.objectNode() : options;
        if (spec.name().endsWith(":") && name.length() > spec.name().length()) {
            // A family name (text:PATH): the suffix is the first config component.
            RecordComponent[] rc = spec.configType().getRecordComponents();
            if (rc.length == 0) throw new ConfigException(path, spec + " takes no argument after ':'");
            given = given.deepCopy();
            given.put(key(rc[0].getName()), name.substring(spec.name().length()));
        }
        // Binding even an empty map (rather than taking spec.defaults()) fills nested component defaults.
        Record opts = bindRecord(given, spec.configType(), path);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ComponentRef<?> r = new ComponentRef(kind, name, opts);
        return r;
    }

    private ComponentKind<?> kindOf(Type generic, String path) {
        if (!(generic instanceof ParameterizedType pt) || !(pt.getActualTypeArguments()[0] instanceof Class<?> c))
            throw new IllegalStateException(path + ": a ComponentRef must name its component type, e.g. ComponentRef<AttentionVariant>");
        return registry.kindOf(c).orElseThrow(() -> new IllegalStateException(path + ": " + c.getName() + " is not a component kind"));
    }

    private static long integer(JsonNode v, String path, long min, long max) {
        long x;
        if (v.isIntegralNumber()) x = v.longValue();
        else if (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()) && Math.abs(v.doubleValue()) < 9e15) x = (long) v.doubleValue();
        else if (v.isTextual()) {
            String t = v.asText().strip().replace("_", "");
            try {
                double d = Double.parseDouble(t);
                if (d != Math.rint(d) || Math.abs(d) > 9e15) throw new ConfigException(path, "expected an integer, got " + show(v));
                x = (long) d;
            } catch (NumberFormatException e) {
                throw new ConfigException(path, "expected an integer, got " + show(v));
            }
        } else throw new ConfigException(path, "expected an integer, got " + show(v));
        if (x < min || x > max) throw new ConfigException(path, x + " does not fit in " + (max == Integer.MAX_VALUE ? "an int" : "a long"));
        return x;
    }

    private static double number(JsonNode v, String path) {
        if (v.isNumber()) return v.doubleValue();
        // YAML 1.1 reads 3e-4 (no dot) as a string: accept numbers written that way; and YAML's .nan and .inf
        // (then range-checked like any number).
        if (v.isTextual()) {
            switch (v.asText().strip()) {
                case ".nan", ".NaN", ".NAN" -> { return Double.NaN; }
                case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF" -> { return Double.POSITIVE_INFINITY; }
                case "-.inf", "-.Inf", "-.INF" -> { return Double.NEGATIVE_INFINITY; }
                default -> { }
            }
            try {
                return Double.parseDouble(v.asText().strip());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new ConfigException(path, "expected a number, got " + show(v));
    }

    /** NaN is never a setting; a key without a range says so here (one with a range says it is outside it). */
    private static double finiteOrRanged(double x, String path, Range range) {
        if (Double.isNaN(x) && range == null) throw new ConfigException(path, "NaN is not allowed; give a number");
        return x;
    }

    private static <N extends Number> N checkRange(String path, Range r, N value) {
        if (r == null) return value;
        double x = value.doubleValue();
        boolean low = r.minOpen() ? x > r.min() : x >= r.min();
        boolean high = r.maxOpen() ? x < r.max() : x <= r.max();
        if (!low || !high || Double.isNaN(x))
            throw new ConfigException(path, value + " is outside the allowed range " + (r.minOpen() ? "(" : "[")
                    + fmt(r.min()) + ", " + fmt(r.max()) + (r.maxOpen() ? ")" : "]"));
        return value;
    }

    private static String fmt(double d) {
        if (Double.isInfinite(d)) return d > 0 ? "∞" : "-∞";
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static Object enumValue(Class<?> type, JsonNode v, String path) {
        List<String> names = new ArrayList<>();
        for (Object c : type.getEnumConstants()) names.add(((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (v.isTextual()) {
            String want = v.asText().toLowerCase(Locale.ROOT).replace('_', '-');
            for (Object c : type.getEnumConstants())
                if (((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-').equals(want)) return c;
        }
        throw new ConfigException(path, "expected one of " + String.join(", ", names) + ", got " + show(v));
    }

    private static String show(JsonNode v) {
        if (v.isTextual()) return "'" + v.asText() + "'";
        if (v.isContainerNode()) return v.isArray() ? "a list" : "a map";
        return v.toString();
    }

    private static String describe(Class<?> type) {
        return type.getSimpleName();
    }

    // ------------------------------------------------------------------ records back to trees

    /** The tree of a bound config: what {@code nanolab config} prints and checkpoints store. */
    public static JsonNode toTree(Object value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) return f.nullNode();
        if (value instanceof ComponentRef<?> r) {
            ObjectNode n = (ObjectNode) toTree(r.options());
            ObjectNode out = f.objectNode();
            out.put("name", r.name());
            out.setAll(n);
            return out;
        }
        if (value instanceof Record rec) {
            ObjectNode n = f.objectNode();
            for (RecordComponent c : rec.getClass().getRecordComponents()) n.set(key(c.getName()), toTree(accessor(c, rec)));
            return n;
        }
        if (value instanceof List<?> l) {
            ArrayNode a = f.arrayNode();
            for (Object o : l) a.add(toTree(o));
            return a;
        }
        if (value instanceof Integer i) return f.numberNode(i);
        if (value instanceof Long l) return f.numberNode(l);
        if (value instanceof Float x) return f.numberNode(x);
        if (value instanceof Double x) return f.numberNode(x);
        if (value instanceof Boolean b) return f.booleanNode(b);
        if (value instanceof Enum<?> e) return f.textNode(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        return f.textNode(value.toString());
    }
}
