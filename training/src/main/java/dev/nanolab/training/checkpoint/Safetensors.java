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
            long size = ch.size();
            if (size < 8) throw new IOException(file + " is not a safetensors file: only " + size + " bytes");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > 100_000_000 || 8 + headerLen > size)
                throw new IOException(file + " is not a safetensors file or is truncated (header length " + headerLen + ", file " + size + " bytes)");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            JsonNode header;
            try {
                header = JSON.readTree(new String(hb.array(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(file + " has a corrupt safetensors header: " + e.getMessage());
            }
            long dataStart = 8 + headerLen;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, Entry> tensors = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                var f = it.next();
                if (f.getKey().equals("__metadata__")) {
                    f.getValue().fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                JsonNode t = f.getValue();
                if (!"F32".equals(t.path("dtype").asText()))
                    throw new IOException(file + ": tensor " + f.getKey() + " has dtype " + t.path("dtype").asText() + "; only F32 is supported");
                int[] shape = new int[t.path("shape").size()];
                long n = 1;
                for (int i = 0; i < shape.length; i++) n *= (shape[i] = t.path("shape").get(i).asInt());
                long begin = t.path("data_offsets").get(0).asLong(), end = t.path("data_offsets").get(1).asLong();
                if (end - begin != 4 * n || dataStart + end > size)
                    throw new IOException(file + " is truncated or corrupt at tensor " + f.getKey());
                ByteBuffer data = ByteBuffer.allocate((int) (end - begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, data, dataStart + begin);
                float[] v = new float[(int) n];
                data.flip().asFloatBuffer().get(v);
                tensors.put(f.getKey(), new Entry(shape, v));
            }
            return new Contents(tensors, meta);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }
}
