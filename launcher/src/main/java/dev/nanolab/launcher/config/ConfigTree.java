package dev.nanolab.launcher.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.nanolab.api.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A config as a tree, before binding: a YAML file (JSON is YAML too) with {@code key=value} overrides applied on
 * top, each value read as a YAML scalar or flow collection ({@code 3e-4}, {@code true}, {@code softmax1},
 * {@code [1, 2]}).
 */
public final class ConfigTree {
    /** Duplicate keys are an error (YAML forbids them; Jackson would keep the later one silently). */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private ConfigTree() {}

    /** The tree of a config file; a missing or unparsable file is one error naming it. */
    public static ObjectNode read(Path file) {
        try {
            JsonNode n = YamlSpecialFloats.readTree(YAML, utf8(Files.readAllBytes(file), "config file " + file));
            if (n == null || n.isMissingNode() || n.isNull()) return JsonNodeFactory.instance.objectNode();
            if (!n.isObject()) throw new ConfigException("", file + ": the top level must be a map of keys, got " + n.getNodeType());
            return (ObjectNode) n;
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "config file " + file + " does not exist");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String dup = duplicate(e);
            if (dup != null) throw new ConfigException("", "config file " + file + ": " + dup);
            throw new ConfigException("", "config file " + file + " is not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        } catch (IOException e) {
            throw new ConfigException("", "cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** Parses YAML text into a tree (for presets shipped as resources). */
    public static ObjectNode parse(String yaml, String what) {
        try {
            JsonNode n = YamlSpecialFloats.readTree(YAML, yaml);
            return n == null || !n.isObject() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String dup = duplicate(e);
            throw new ConfigException("", what + (dup != null ? ": " + dup : " is not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("")));
        } catch (IOException e) {
            throw new ConfigException("", what + " is not valid YAML: " + e.getMessage());
        }
    }

    /** "duplicate key 'model.n_layer' (line 7)" for a duplicate-key error, else null. */
    static String duplicate(com.fasterxml.jackson.core.JsonProcessingException e) {
        var m = java.util.regex.Pattern.compile("Duplicate field '(.*)'").matcher(String.valueOf(e.getOriginalMessage()));
        if (!m.find()) return null;
        java.util.ArrayList<String> path = new java.util.ArrayList<>();
        path.add(m.group(1));
        if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p) {
            for (var ctx = p.getParsingContext() == null ? null : p.getParsingContext().getParent(); ctx != null; ctx = ctx.getParent())
                if (ctx.getCurrentName() != null) path.addFirst(ctx.getCurrentName());
        }
        return "duplicate key '" + String.join(".", path) + "'" + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : "")
                + "; a key may appear once in a map";
    }

    /**
     * Bytes as UTF-8 text; the error names {@code what}, the first invalid byte and its offset (the JDK says only
     * "Input length = 1").
     */
    public static String utf8(byte[] bytes, String what) {
        java.nio.charset.CharsetDecoder d = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            throw new ConfigException("", what + " is not UTF-8 text: invalid byte 0x" + String.format("%02x", bytes[at] & 0xff) + " at offset " + at);
        }
        d.flush(out);
        return out.flip().toString();
    }

    /** Applies {@code key.path=value} overrides in order. */
    public static ObjectNode override(ObjectNode tree, List<String> assignments) {
        for (String a : assignments) set(tree, a);
        return tree;
    }

    /**
     * Sets one dotted key. A string on the way (a component given by name, {@code attention: softmax}) becomes a map
     * with that name when a sub-key is set on it.
     */
    public static void set(ObjectNode tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new ConfigException("", "--set needs key=value, got '" + assignment + "'");
        String key = assignment.substring(0, eq).strip();
        String text = assignment.substring(eq + 1);
        String[] path = key.split("\\.");
        if (path.length == 0 || key.startsWith(".") || key.endsWith(".") || java.util.Arrays.stream(path).anyMatch(String::isBlank))
            throw new ConfigException("", "--set needs a dotted key such as train.lr=3e-4, got '" + assignment + "'");
        ObjectNode node = tree;
        for (int i = 0; i < path.length - 1; i++) {
            JsonNode child = node.get(path[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(path[i]);
            } else if (child.isTextual()) {
                ObjectNode named = JsonNodeFactory.instance.objectNode();
                named.put("name", child.asText());
                node.set(path[i], named);
                child = named;
            } else if (!child.isObject()) {
                throw new ConfigException(String.join(".", java.util.Arrays.copyOf(path, i + 1)),
                        "is a " + child.getNodeType().toString().toLowerCase() + ", so '" + key + "' cannot be set inside it");
            }
            node = (ObjectNode) child;
        }
        JsonNode value = scalar(text);
        String last = path[path.length - 1];
        JsonNode existing = node.get(last);
        // Naming a component where its options are already set keeps them (they are for it); naming a different
        // component than the one they were set for replaces them.
        if (existing != null && existing.isObject() && value.isTextual()) {
            if (existing.has("name") && !existing.get("name").asText().equals(value.asText())) node.put(last, value.asText());
            else ((ObjectNode) existing).put("name", value.asText());
            return;
        }
        node.set(last, value);
    }

    static JsonNode scalar(String text) {
        if (text.isEmpty()) return JsonNodeFactory.instance.textNode("");
        try {
            JsonNode n = YamlSpecialFloats.readTree(YAML, text);
            return n == null || n.isMissingNode() ? JsonNodeFactory.instance.textNode(text) : n;
        } catch (IOException e) {
            return JsonNodeFactory.instance.textNode(text);
        }
    }

    /** YAML text of a tree. */
    public static String toYaml(JsonNode tree) {
        try {
            return YAML.writeValueAsString(tree).replaceFirst("^---\\s*\n", "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
