package dev.nanolab.tracking.tensorboard;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, as TensorBoard's event files use it: each record is its length (uint64, little-endian), the
 * masked CRC-32C of those 8 bytes (uint32), the data, and the masked CRC-32C of the data. A CRC is masked as
 * {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}, so a file of CRCs does not checksum to itself.
 */
public final class TfRecords {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecords() {}

    /** The masked CRC-32C of {@code bytes[off, off+len)}. */
    public static int maskedCrc(byte[] bytes, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** Writes one framed record. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(data.length);
        head.putInt(maskedCrc(head.array(), 0, 8));
        ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(maskedCrc(data, 0, data.length));
        out.write(head.array());
        out.write(data);
        out.write(tail.array());
    }

    /**
     * Reads every record of a stream, checking both CRCs of each.
     *
     * @throws IOException naming the record's index and what is wrong: a bad length or data CRC, or a record cut off
     */
    public static List<byte[]> readAll(InputStream in, String name) throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, 12);
            if (n == 0) return out;
            if (n < 12) throw new EOFException(name + ": record " + i + " is cut off in its header");
            ByteBuffer h = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
            long length = h.getLong();
            if (h.getInt() != maskedCrc(head, 0, 8)) throw new IOException(name + ": record " + i + " has a bad length CRC");
            if (length < 0 || length > Integer.MAX_VALUE - 8) throw new IOException(name + ": record " + i + " has length " + length);
            byte[] data = in.readNBytes((int) length);
            byte[] crc = in.readNBytes(4);
            if (data.length < length || crc.length < 4) throw new EOFException(name + ": record " + i + " is cut off");
            if (ByteBuffer.wrap(crc).order(ByteOrder.LITTLE_ENDIAN).getInt() != maskedCrc(data, 0, data.length))
                throw new IOException(name + ": record " + i + " has a bad data CRC");
            out.add(data);
        }
    }
}
