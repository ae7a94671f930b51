package dev.nanolab.tokenizers.huggingface.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanolab.tokenizers.codec.StateReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A node of a {@code tokenizer.json} with its file and JSON path, so that every refusal is one line naming the file,
 * the path and the value: {@code tokenizer.json: normalizer.normalizers[0].type: 'Precompiled' is not supported}.
 *
 * @param file the file, for messages
 * @param path the JSON path of this node from the root, e.g. {@code model.vocab}; empty for the root
 * @param json the node (a missing node where the key is absent)
 */
public record HfNode(String file, String path, JsonNode json) {
    public static HfNode root(String file, JsonNode json) {
        return new HfNode(file, "", json);
    }

    public HfNode at(String key) {
        return new HfNode(file, path.isEmpty() ? key : path + "." + key, json.path(key));
    }

    public HfNode at(int index) {
        return new HfNode(file, path + "[" + index + "]", json.path(index));
    }

    /** Absent or JSON null. */
    public boolean isAbsent() {
        return json.isMissingNode() || json.isNull();
    }

    /** The elements of an array node. */
    public List<HfNode> elements() {
        if (!json.isArray()) throw invalid("must be an array, not " + StateReader.kind(json));
        List<HfNode> out = new ArrayList<>(json.size());
        for (int i = 0; i < json.size(); i++) out.add(at(i));
        return out;
    }

    /** Refuses any key of this object outside {@code keys}: a setting this reader does not know could change the tokens. */
    public HfNode onlyKeys(Set<String> keys) {
        if (!json.isObject()) throw invalid("must be an object, not " + StateReader.kind(json));
        for (String key : (Iterable<String>) json::fieldNames)
            if (!keys.contains(key)) throw at(key).invalid("unknown key (known here: " + String.join(", ", keys) + ")");
        return this;
    }

    public String text() {
        if (!json.isTextual()) throw invalid("must be a string, not " + StateReader.kind(json));
        return json.textValue();
    }

    public String text(String absent) {
        return isAbsent() ? absent : text();
    }

    /** A string of exactly one code point. */
    public int character(int absent) {
        if (isAbsent()) return absent;
        String s = text();
        if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) throw invalid("must be one character, not '" + s + "'");
        return s.codePointAt(0);
    }

    public boolean bool(boolean absent) {
        if (isAbsent()) return absent;
        if (!json.isBoolean()) throw invalid("must be true or false, not " + StateReader.kind(json));
        return json.booleanValue();
    }

    public int integer(int absent) {
        if (isAbsent()) return absent;
        if (!json.isIntegralNumber() || !json.canConvertToInt() || json.intValue() < 0)
            throw invalid("must be a non-negative integer, not " + StateReader.kind(json));
        return json.intValue();
    }

    public double number() {
        if (!json.isNumber() || !Double.isFinite(json.doubleValue()))
            throw invalid("must be a finite number, not " + StateReader.kind(json));
        return json.doubleValue();
    }

    /** {@code file: path: problem}, on one line. */
    public IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException(StateReader.oneLine(file + ": " + (path.isEmpty() ? "" : path + ": ") + problem));
    }

    /** {@code file: path: 'value' is not supported (why)}, on one line. */
    public IllegalArgumentException unsupported(String why) {
        String value = json.isTextual() ? "'" + json.textValue() + "'" : json.isMissingNode() ? "nothing" : json.toString();
        return invalid(value + " is not supported" + (why.isEmpty() ? "" : " (" + why + ")"));
    }
}
