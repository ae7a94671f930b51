package dev.nanolab.training.data;

import dev.nanolab.training.config.DataConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The layouts of a token file beyond nanolab's own ({@link TokenFile}'s checked header):
 * <ul>
 *   <li>{@code nanogpt}: nanoGPT's {@code prepare.py} output, raw little-endian uint16 ids and nothing else
 *       ({@code np.array(ids, dtype=np.uint16).tofile(...)}); what the ids mean is kept beside it (nanoGPT's
 *       {@code meta.pkl}, here {@code meta.json} and {@code tokenizer.state}).</li>
 *   <li>{@code llmc}: llm.c's data shards ({@code dev/data/data_common.py}): a header of 256 little-endian int32
 *       (magic 20240520, version 1, token count, the rest 0), then the count's uint16 ids.</li>
 * </ul>
 */
public final class TokenFormat {
    private TokenFormat() {}

    /** llm.c's shard magic and version, and its header size in bytes. */
    public static final int LLMC_MAGIC = 20240520, LLMC_VERSION = 1, LLMC_HEADER = 256 * 4;

    /** Bytes before the first id. */
    static int headerBytes(DataConfig.Format format) {
        return switch (format) {
            case NANOLAB -> TokenFile.HEADER;
            case NANOGPT -> 0;
            case LLMC -> LLMC_HEADER;
        };
    }

    /** llm.c's header for {@code count} tokens. */
    static ByteBuffer llmcHeader(long count) {
        if (count > Integer.MAX_VALUE) throw new IllegalArgumentException("an llm.c shard holds at most " + Integer.MAX_VALUE + " tokens, not " + count);
        ByteBuffer h = ByteBuffer.allocate(LLMC_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(LLMC_MAGIC).putInt(LLMC_VERSION).putInt((int) count);
        h.clear();
        return h;
    }

    /**
     * The token count of a file of this format and size, checking llm.c's header.
     *
     * @throws IOException naming the file and what is wrong: its magic, version, or a size that does not fit
     */
    static long count(java.nio.file.Path path, DataConfig.Format format, long size, ByteBuffer head) throws IOException {
        String what = "token file " + path + " (format " + format.name().toLowerCase(java.util.Locale.ROOT) + ")";
        switch (format) {
            case NANOGPT -> {
                if (size % 2 != 0) throw new IOException(what + " has an odd size of " + size + " bytes: raw uint16 ids come in 2-byte units");
                return size / 2;
            }
            case LLMC -> {
                if (size < LLMC_HEADER) throw new IOException(what + " is " + size + " bytes, shorter than llm.c's 1024-byte header");
                head.order(ByteOrder.LITTLE_ENDIAN);
                int magic = head.getInt(0), version = head.getInt(4);
                long count = Integer.toUnsignedLong(head.getInt(8));
                if (magic != LLMC_MAGIC) throw new IOException(what + " has magic " + magic + ", not llm.c's " + LLMC_MAGIC);
                if (version != LLMC_VERSION) throw new IOException(what + " has version " + version + "; nanolab reads llm.c's version " + LLMC_VERSION + " (uint16 tokens)");
                if (size != LLMC_HEADER + 2 * count)
                    throw new IOException(what + " is truncated or padded: its header says " + count + " tokens (" + (LLMC_HEADER + 2 * count)
                            + " bytes) but the file has " + size + " bytes");
                return count;
            }
            default -> throw new IllegalArgumentException("format " + format + " has its own reader");
        }
    }
}
