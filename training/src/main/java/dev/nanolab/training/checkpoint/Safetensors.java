package dev.nanolab.training.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (huggingface/safetensors), F32 tensors only: an 8-byte little-endian header length, a JSON
 * header {@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}}
 * padded with spaces to a multiple of 8, then the raw little-endian data. Other tools (PyTorch's
 * {@code safetensors.torch.load_file}) read what this writes.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {}

    /** A tensor's shape and values. */
    public record Entry(int[] shape, float[] values) {}

    /** Writes tensors (in map order) and string metadata to a stream. */
    public static void write(OutputStream out, Map<String, Entry> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode m = header.putObject("__metadata__");
            metadata.forEach(m::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            long bytes = 4L * e.getValue().values().length;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) shape.add(d);
            var off = t.putArray("data_offsets");
            off.add(offset);
            off.add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        OutputStream o = new BufferedOutputStream(out, 1 << 20);
        o.write(len.array());
        o.write(json);
        for (int i = json.length; i < padded; i++) o.write(' ');
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : tensors.values()) {
            for (float v : e.values()) {
                if (!buf.hasRemaining()) {
                    o.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putFloat(v);
            }
        }
        o.write(buf.array(), 0, buf.position());
        o.flush();
    }

    /** What a file holds. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {}

    /**
     * Reads a whole file.
     *
     * @throws IOException naming the file when it is not valid safetensors of F32 tensors
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new Source() {
                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public void read(ByteBuffer buf, long pos) throws IOException {
                    readFully(ch, buf, pos);
                }
            }, file.toString());
        }
    }

    /**
     * Reads safetensors bytes held in memory; {@code name} stands for the file in messages.
     *
     * @throws IOException naming it when the bytes are not valid safetensors of F32 tensors
     */
    public static Contents read(byte[] bytes, String name) throws IOException {
        return read(new Source() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void read(ByteBuffer buf, long pos) throws IOException {
                if (pos + buf.remaining() > bytes.length) throw new IOException("unexpected end of file");
                buf.put(bytes, (int) pos, buf.remaining());
            }
        }, name);
    }

    /** Where the bytes come from: a file or an array. */
    private interface Source {
        long size() throws IOException;

        void read(ByteBuffer buf, long pos) throws IOException;
    }

    /** The largest tensor a Java array holds. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private static Contents read(Source src, String file) throws IOException {
        long size = src.size();
        if (size < 8) throw new IOException(file + " is not a safetensors file: only " + size + " bytes");
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        src.read(lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen <= 0 || headerLen > 100_000_000 || 8 + headerLen > size)
            throw new IOException(file + " is not a safetensors file or is truncated (header length " + headerLen + ", file " + size + " bytes)");
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        src.read(hb, 8);
        JsonNode header;
        try {
            header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IOException(file + " has a corrupt safetensors header: " + oneLine(e));
        }
        if (header == null || !header.isObject())
            throw new IOException(file + " has a corrupt safetensors header: it is not a JSON object");
        long dataStart = 8 + headerLen;
        Map<String, String> meta = new LinkedHashMap<>();
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            var f = it.next();
            if (f.getKey().equals("__metadata__")) {
                if (!f.getValue().isObject()) throw new IOException(file + " has a corrupt safetensors header: __metadata__ is not a map");
                for (Iterator<Map.Entry<String, JsonNode>> m = f.getValue().fields(); m.hasNext(); ) {
                    var e = m.next();
                    if (!e.getValue().isTextual())
                        throw new IOException(file + " has a corrupt safetensors header: metadata " + show(e.getKey()) + " is not a string");
                    meta.put(e.getKey(), e.getValue().textValue());
                }
                continue;
            }
            JsonNode t = f.getValue();
            String what = file + ": tensor " + show(f.getKey());
            if (!t.isObject()) throw new IOException(what + " is not described by a map (corrupt header)");
            if (!"F32".equals(t.path("dtype").asText()))
                throw new IOException(what + " has dtype " + show(t.path("dtype").asText()) + "; only F32 is supported");
            JsonNode shapeNode = t.path("shape"), offsets = t.path("data_offsets");
            if (!shapeNode.isArray()) throw new IOException(what + " has no shape list (corrupt header)");
            int[] shape = new int[shapeNode.size()];
            long n = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0)
                    throw new IOException(what + " has a bad dimension " + d + " in its shape (corrupt header)");
                shape[i] = d.intValue();
                n *= shape[i];
                if (n > MAX_VALUES) throw new IOException(what + " has " + java.util.Arrays.toString(shape) + " values, more than one tensor can hold");
            }
            if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                    || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong())
                throw new IOException(what + " has no [begin, end] data_offsets (corrupt header)");
            long begin = offsets.get(0).longValue(), end = offsets.get(1).longValue();
            if (begin < 0 || end < begin || end - begin != 4 * n || end > size - dataStart)
                throw new IOException(file + " is truncated or corrupt at tensor " + show(f.getKey()));
            ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
            src.read(data, dataStart + begin);
            float[] v = new float[(int) n];
            data.flip().asFloatBuffer().get(v);
            tensors.put(f.getKey(), new Entry(shape, v));
        }
        return new Contents(tensors, meta);
    }

    /** A name from the file as messages show it: as it is, or quoted with escapes when it holds control characters. */
    static String show(String name) {
        if (name.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || c == 0x85) && !name.isBlank()) return name;
        return "\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(name))
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\u0085", "\\u0085") + "\"";
    }

    /** A parser's message without its source excerpt and location lines. */
    private static String oneLine(IOException e) {
        String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        return m == null ? e.toString() : m.lines().findFirst().orElse(m)
                .replaceAll("\\s*\\((start marker )?at \\[Source:.*$", "").replaceAll("\\s*at \\[Source:.*$", "").strip();
    }

    /** CRC32C of a tensor's values as they are stored: little-endian IEEE 754 bits. */
    public static int crc32c(float[] values) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (!buf.hasRemaining()) {
                crc.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putInt(Float.floatToRawIntBits(v));
        }
        crc.update(buf.array(), 0, buf.position());
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }
}
