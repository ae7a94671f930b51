package dev.nanolab.datasets.corpus;

import dev.nanolab.api.data.Document;
import dev.nanolab.api.data.TextCorpus;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A corpus read through a fresh {@link Cursor} on every {@link #documents()} call, so documents are read one at a time
 * (never the whole corpus at once) and every call starts from the first. It applies {@code max_bytes}: the documents
 * hold at most that many bytes of UTF-8 text in all, the last one cut at a character boundary (0 = no limit).
 *
 * <p>Sources skip what is not text (see {@link Utf8Text}); after the first full pass the skipped names are logged
 * once, as one warning, and are available from {@link #skipped()}.
 */
public abstract class SourceCorpus implements TextCorpus {
    private static final System.Logger LOG = System.getLogger("dev.nanolab.datasets");

    /** Reads one pass over the source. */
    public interface Cursor extends Closeable {
        /** The next document, or null at the end. */
        Document next() throws IOException;

        /** The names of the entries skipped so far in this pass because they are not UTF-8 text. */
        List<String> skipped();
    }

    private final String name;
    private final long maxBytes;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile List<String> skipped = List.of();

    protected SourceCorpus(String name, long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("max_bytes must be 0 (no limit) or more, got " + maxBytes);
        this.name = name;
        this.maxBytes = maxBytes;
    }

    /** Starts a pass from the first document. */
    protected abstract Cursor cursor() throws IOException;

    /** The kind of thing a skipped name is, for the warning: "files", "entries". */
    protected String unit() {
        return "files";
    }

    @Override
    public final String name() {
        return name;
    }

    /** The limit on the corpus's UTF-8 bytes, 0 for none. */
    public final long maxBytes() {
        return maxBytes;
    }

    /** The names skipped as not UTF-8 text in the last pass that read to the end (empty before one has). */
    public final List<String> skipped() {
        return skipped;
    }

    /**
     * {@inheritDoc}
     *
     * @throws UncheckedIOException from the stream's operations when the source cannot be read; its message names it
     */
    @Override
    public final Stream<Document> documents() {
        Pass pass = new Pass();
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pass,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(pass::close);
    }

    private final class Pass implements Iterator<Document> {
        private Cursor cursor;
        private Document next;
        private boolean done;
        private long bytes;

        @Override
        public boolean hasNext() {
            if (next != null) return true;
            if (done) return false;
            try {
                if (cursor == null) cursor = cursor();
                Document d = maxBytes > 0 && bytes >= maxBytes ? null : cursor.next();
                if (d == null) {
                    finish(maxBytes == 0 || bytes < maxBytes);
                    return false;
                }
                if (maxBytes > 0) {
                    long n = Utf8Text.utf8Length(d.text());
                    if (bytes + n > maxBytes) {
                        // The document that crosses the limit is cut at a character boundary, and is the last.
                        String cut = Utf8Text.prefixWithin(d.text(), maxBytes - bytes);
                        bytes = maxBytes;
                        if (cut.isEmpty()) {
                            finish(false);
                            return false;
                        }
                        d = new Document(d.name(), cut);
                    } else bytes += n;
                }
                next = d;
                return true;
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }

        @Override
        public Document next() {
            if (!hasNext()) throw new NoSuchElementException();
            Document d = next;
            next = null;
            return d;
        }

        private void finish(boolean complete) {
            done = true;
            if (cursor != null && complete) {
                List<String> s = List.copyOf(cursor.skipped());
                skipped = s;
                if (!s.isEmpty() && warned.compareAndSet(false, true)) {
                    List<String> shown = new ArrayList<>(s.subList(0, Math.min(3, s.size())));
                    LOG.log(System.Logger.Level.WARNING, name + ": skipped " + s.size() + " " + unit()
                            + " that are not UTF-8 text (" + String.join(", ", shown) + (s.size() > 3 ? ", ..." : "") + ")");
                }
            }
            close();
        }

        void close() {
            done = true;
            if (cursor != null) {
                try {
                    cursor.close();
                } catch (IOException e) {
                    // Nothing was lost: the documents were read.
                }
                cursor = null;
            }
        }
    }
}
