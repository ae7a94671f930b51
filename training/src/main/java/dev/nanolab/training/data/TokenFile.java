package dev.nanolab.training.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import dev.nanolab.training.config.DataConfig;
import java.util.zip.CRC32C;

/**
 * A file of token ids, memory-mapped for reading: what {@code nanolab prepare} writes and training samples batches
 * from (nanoGPT's train.bin/val.bin, with a header that says what the ids mean).
 *
 * <p>Layout, little-endian: a 128-byte header, then {@code count} ids of {@code width} bytes (2: uint16, while the
 * vocabulary fits; 4: uint32).
 * <pre>
 *   0  magic "NLTOKENS" (8)   8  version u32 = 1      12 width u32 (2 or 4)   16 count u64
 *  24  vocab size u32         28 payload CRC32C u32   32 tokenizer fingerprint (32 bytes, SHA-256)
 *  64  tokenizer name, UTF-8, zero-padded to 60 bytes  124 header CRC32C u32 over bytes [0, 124)
 * </pre>
 * Opening checks the magic, version, width, the header checksum, that the file holds exactly {@code count} ids,
 * and the payload checksum, so a truncated or corrupt file is named instead of silently mis-read.
 */
public final class TokenFile implements AutoCloseable {
    public static final int HEADER = 128;
    private static final byte[] MAGIC = "NLTOKENS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Path path;
    private final Arena arena;
    private final MemorySegment tokens;
    private final int width;
    private final long count;
    private final int vocabSize;
    private final String tokenizerName;
    private final String fingerprint;

    private TokenFile(Path path, Arena arena, MemorySegment tokens, int width, long count, int vocabSize,
                      String tokenizerName, String fingerprint) {
        this.path = path;
        this.arena = arena;
        this.tokens = tokens;
        this.width = width;
        this.count = count;
        this.vocabSize = vocabSize;
        this.tokenizerName = tokenizerName;
        this.fingerprint = fingerprint;
    }

    /** The id width for a vocabulary: 2 bytes while it fits in uint16. */
    public static int widthFor(int vocabSize) {
        return vocabSize <= 65536 ? 2 : 4;
    }

    /**
     * Maps a token file of any format for reading. nanoGPT's and llm.c's files say nothing of their tokenizer, so
     * {@code vocabSize}, {@code tokenizerName} and {@code fingerprint} come from what is kept beside them, and every
     * id is checked to be below {@code vocabSize}.
     *
     * @throws IOException whose one-line message names the file and what is wrong with it (magic, version, size, an id)
     */
    public static TokenFile open(Path path, DataConfig.Format format, int vocabSize, String tokenizerName, String fingerprint) throws IOException {
        if (format == DataConfig.Format.NANOLAB) return open(path);
        if (!Files.isRegularFile(path)) throw new IOException("token file " + path + " does not exist");
        long size = Files.size(path);
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment all = size == 0 ? MemorySegment.NULL : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            int header = TokenFormat.headerBytes(format);
            ByteBuffer head = size >= header && header > 0 ? all.asSlice(0, header).asByteBuffer() : ByteBuffer.allocate(0);
            long count = TokenFormat.count(path, format, size, head);
            MemorySegment tokens = count == 0 ? MemorySegment.NULL : all.asSlice(header, count * 2);
            TokenFile f = new TokenFile(path, arena, tokens, 2, count, vocabSize, tokenizerName, fingerprint);
            for (long i = 0; i < count; i++) {
                int id = f.get(i);
                if (id >= vocabSize) throw new IOException("token file " + path + " has id " + id + " at token " + i
                        + ", outside the vocabulary of " + vocabSize + " (" + tokenizerName + "): was it made with another tokenizer?");
            }
            return f;
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Writes a token file atomically (a temporary file, then a rename). */
    public static void write(Path path, int[] ids, int length, int vocabSize, String tokenizerName, String fingerprint) throws IOException {
        try (Writer w = new Writer(path, vocabSize, tokenizerName, fingerprint)) {
            w.write(ids, length);
        }
    }

    private static ByteBuffer header(int width, long count, int vocab, int payloadCrc, String tokenizer, String fingerprint) {
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC).putInt(VERSION).putInt(width).putLong(count).putInt(vocab).putInt(payloadCrc);
        byte[] fp = HexFormat.of().parseHex(fingerprint);
        if (fp.length != 32) throw new IllegalArgumentException("fingerprint must be a SHA-256 hex string");
        h.put(fp);
        byte[] name = tokenizer.getBytes(StandardCharsets.UTF_8);
        if (name.length > 60) throw new IllegalArgumentException("tokenizer name longer than 60 bytes: " + tokenizer);
        h.put(name).position(124);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, 124);
        h.putInt((int) crc.getValue());
        h.flip();
        return h;
    }

    /**
     * Maps a token file for reading, checking it whole.
     *
     * @throws IOException whose one-line message names the file and what is wrong with it
     */
    public static TokenFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new IOException("token file " + path + " does not exist; run nanolab prepare");
        long size = Files.size(path);
        if (size < HEADER) throw new IOException("token file " + path + " is truncated: " + size + " bytes, shorter than its header");
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            ByteBuffer h = all.asSlice(0, HEADER).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[8];
            h.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) throw new IOException("token file " + path + " is not a nanolab token file (bad magic)");
            CRC32C hc = new CRC32C();
            byte[] head = new byte[124];
            h.get(0, head);
            hc.update(head);
            if (h.getInt(124) != (int) hc.getValue()) throw new IOException("token file " + path + " has a corrupt header (checksum mismatch)");
            int version = h.getInt(8), width = h.getInt(12);
            long count = h.getLong(16);
            int vocab = h.getInt(24), payloadCrc = h.getInt(28);
            if (version != VERSION) throw new IOException("token file " + path + " has version " + version + ", this nanolab reads " + VERSION);
            if (width != 2 && width != 4) throw new IOException("token file " + path + " has token width " + width + " (expected 2 or 4)");
            if (size != HEADER + count * width)
                throw new IOException("token file " + path + " is truncated or padded: its header says " + count + " tokens ("
                        + (HEADER + count * width) + " bytes) but the file has " + size + " bytes");
            byte[] fp = new byte[32];
            h.get(32, fp);
            byte[] nameBytes = new byte[60];
            h.get(64, nameBytes);
            int n = 0;
            while (n < 60 && nameBytes[n] != 0) n++;
            MemorySegment tokens = all.asSlice(HEADER, count * width);
            CRC32C pc = new CRC32C();
            pc.update(tokens.asByteBuffer());
            if ((int) pc.getValue() != payloadCrc) throw new IOException("token file " + path + " is corrupt: its tokens do not match the checksum in its header");
            return new TokenFile(path, arena, tokens, width, count, vocab, new String(nameBytes, 0, n, StandardCharsets.UTF_8),
                    HexFormat.of().formatHex(fp));
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Number of tokens. */
    public long count() {
        return count;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public String tokenizerName() {
        return tokenizerName;
    }

    public String tokenizerFingerprint() {
        return fingerprint;
    }

    /** The id at {@code index}. */
    public int get(long index) {
        return width == 2 ? Short.toUnsignedInt(tokens.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), index * 2))
                : tokens.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), index * 4);
    }

    /** Copies ids {@code [from, from + n)} into {@code dst[at...]}. */
    public void read(long from, int[] dst, int at, int n) {
        for (int i = 0; i < n; i++) dst[at + i] = get(from + i);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Streams ids into a token file without holding them all in memory. */
    public static final class Writer implements AutoCloseable {
        private final Path path, tmp;
        private final int width, vocab;
        private final String tokenizer, fingerprint;
        private final DataConfig.Format format;
        private final FileChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private long count;
        private boolean closed;

        public Writer(Path path, int vocabSize, String tokenizerName, String fingerprint) throws IOException {
            this(path, vocabSize, tokenizerName, fingerprint, DataConfig.Format.NANOLAB);
        }

        /**
         * A writer of {@code format}.
         *
         * @throws IllegalArgumentException when the format holds uint16 ids and the vocabulary does not fit
         */
        public Writer(Path path, int vocabSize, String tokenizerName, String fingerprint, DataConfig.Format format) throws IOException {
            if (format != DataConfig.Format.NANOLAB && vocabSize > 65536)
                throw new IllegalArgumentException("data.format " + format.name().toLowerCase(java.util.Locale.ROOT) + " stores uint16 ids, and the vocabulary of "
                        + vocabSize + " tokens (" + tokenizerName + ") does not fit; use data.format nanolab");
            this.format = format;
            this.path = path;
            this.tmp = path.resolveSibling(path.getFileName() + ".tmp");
            this.width = widthFor(vocabSize);
            this.vocab = vocabSize;
            this.tokenizer = tokenizerName;
            this.fingerprint = fingerprint;
            this.channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            channel.position(TokenFormat.headerBytes(format));
        }

        public void write(int[] ids, int n) throws IOException {
            for (int i = 0; i < n; i++) {
                int id = ids[i];
                if (id < 0 || id >= vocab) throw new IllegalArgumentException("token id " + id + " outside vocabulary " + vocab);
                if (buf.remaining() < 4) flush();
                if (width == 2) buf.putShort((short) id);
                else buf.putInt(id);
            }
            count += n;
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.array(), 0, buf.limit());
            while (buf.hasRemaining()) channel.write(buf);
            buf.clear();
        }

        public long count() {
            return count;
        }

        /** Gives up: closes and deletes the temporary file, leaving nothing behind. Closing after it does nothing. */
        public void abort() {
            if (closed) return;
            closed = true;
            try {
                channel.close();
            } catch (IOException e) {
                // deleting it is what matters
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // nothing more to do; the next preparation removes it
            }
        }

        /** Writes the header, syncs, and renames the file into place. Closing twice does nothing more. */
        @Override
        public void close() throws IOException {
            if (closed) return;
            try {
                flush();
                switch (format) {
                    case NANOLAB -> channel.write(header(width, count, vocab, (int) crc.getValue(), tokenizer, fingerprint), 0);
                    case LLMC -> channel.write(TokenFormat.llmcHeader(count), 0);
                    case NANOGPT -> { } // raw ids, no header
                }
                channel.force(true);
                channel.close();
                closed = true;
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                abort();
                throw new IOException("could not write token file " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
