package dev.nanolab.tokenizers.codec;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a tokenizer's JSON state and reports every problem as an {@link IllegalArgumentException} with a one-line
 * message that starts with the format name, as {@link dev.nanolab.api.tokenizer.TokenizerFactory#load} promises.
 */
public final class StateReader {
    /** Strict: text after the JSON value, or a key given twice, is an error rather than silently ignored. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final String format;
    private final ObjectNode root;

    private StateReader(String format, ObjectNode root) {
        this.format = format;
        this.root = root;
    }

    /**
     * Parses the state and checks its {@code format} and {@code version} fields.
     *
     * @param format  the expected value of the {@code format} field, e.g. {@code nanolab-bpe}
     * @param version the only version this reader understands
     */
    public static StateReader open(byte[] state, String format, int version) {
        if (state == null || state.length == 0) throw new IllegalArgumentException(format + " state: empty");
        JsonNode node = parse(state, format + " state");
        if (!(node instanceof ObjectNode object))
            throw new IllegalArgumentException(format + " state: expected a JSON object, got " + kind(node));
        StateReader reader = new StateReader(format, object);
        String actual = object.path("format").asText("");
        if (!format.equals(actual))
            throw new IllegalArgumentException(format + " state: the format field is "
                    + (actual.isEmpty() ? "missing" : "'" + oneLine(actual) + "'") + ", not '" + format + "'");
        int v = reader.integer("version");
        if (v != version)
            throw new IllegalArgumentException(format + " state: version " + v + " is not supported (only " + version + ")");
        return reader;
    }

    /** Parses JSON, reporting a syntax error as a one-line message that starts with {@code what}. */
    public static JsonNode parse(byte[] json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || node.isMissingNode()) throw new IllegalArgumentException(what + ": empty");
            return node;
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException(what + ": not valid JSON" + where + ": " + oneLine(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + ": unreadable: " + oneLine(e.getMessage()));
        }
    }

    public ObjectNode root() {
        return root;
    }

    public String text(String field) {
        JsonNode n = required(field);
        if (!n.isTextual()) throw invalid("'" + field + "' must be a string, not " + kind(n));
        return n.textValue();
    }

    public boolean bool(String field) {
        JsonNode n = required(field);
        if (!n.isBoolean()) throw invalid("'" + field + "' must be true or false, not " + kind(n));
        return n.booleanValue();
    }

    public int integer(String field) {
        return integer(required(field), "'" + field + "'");
    }

    /** An int-valued node, {@code what} naming it in the message. */
    public int integer(JsonNode n, String what) {
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw invalid(what + " must be an integer, not " + kind(n));
        return n.intValue();
    }

    public ArrayNode array(String field) {
        JsonNode n = required(field);
        if (!(n instanceof ArrayNode a)) throw invalid("'" + field + "' must be an array, not " + kind(n));
        return a;
    }

    public ObjectNode object(String field) {
        JsonNode n = required(field);
        if (!(n instanceof ObjectNode o)) throw invalid("'" + field + "' must be an object, not " + kind(n));
        return o;
    }

    /** The exception to throw for a problem in this state; the message is made one line. */
    public IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException(format + " state: " + oneLine(problem));
    }

    private JsonNode required(String field) {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) throw invalid("'" + field + "' is missing");
        return n;
    }

    /** A short description of what a node is, for messages. */
    public static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "the number " + n.asText();
        return n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The text on one line, shortened: messages from parsers may span lines or quote long input. */
    public static String oneLine(String s) {
        if (s == null) return "";
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
