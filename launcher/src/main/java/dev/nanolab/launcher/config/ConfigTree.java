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
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ConfigTree() {}

    /** The tree of a config file; a missing or unparsable file is one error naming it. */
    public static ObjectNode read(Path file) {
        try {
            JsonNode n = YAML.readTree(Files.readString(file));
            if (n == null || n.isMissingNode() || n.isNull()) return JsonNodeFactory.instance.objectNode();
            if (!n.isObject()) throw new ConfigException("", file + ": the top level must be a map of keys, got " + n.getNodeType());
            return (ObjectNode) n;
        } catch (NoSuchFileException e) {
            throw new ConfigException("", "config file " + file + " does not exist");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("", "config file " + file + " is not valid YAML: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        } catch (IOException e) {
            throw new ConfigException("", "cannot read config file " + file + ": " + e.getMessage());
        }
    }

    /** Parses YAML text into a tree (for presets shipped as resources). */
    public static ObjectNode parse(String yaml, String what) {
        try {
            JsonNode n = YAML.readTree(yaml);
            return n == null || !n.isObject() ? JsonNodeFactory.instance.objectNode() : (ObjectNode) n;
        } catch (IOException e) {
            throw new ConfigException("", what + " is not valid YAML: " + e.getMessage());
        }
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
            JsonNode n = YAML.readTree(text);
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
