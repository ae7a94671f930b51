package dev.nanolab.tokenizers.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a small tokenizer state as UTF-8 JSON: fields in insertion order, one per line, arrays on one line. The
 * same tree always gives the same bytes, so equal tokenizers have equal fingerprints.
 */
public final class StateWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StateWriter() {}

    /** A new state object with its {@code format} and {@code version} fields set. */
    public static ObjectNode start(String format, int version) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("version", version);
        return root;
    }

    public static byte[] write(ObjectNode state) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.NopIndenter.instance);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = JSON.getFactory().createGenerator(out)) {
            gen.setPrettyPrinter(printer);
            JSON.writeTree(gen, state);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
