package dev.nanolab.api.metrics;

import java.io.IOException;

/**
 * One session's writer of a {@link MetricsSink}. {@link #write} is called from the training thread, in iteration
 * order; a file sink should make each record durable soon (a killed run keeps what it logged), a network sink may
 * batch and send on {@link #flush} and {@link #close}.
 */
public interface MetricsWriter extends AutoCloseable {
    /** Writes one record. An I/O failure is an {@link java.io.UncheckedIOException} naming the file or endpoint. */
    void write(MetricsRecord record);

    /** Makes what was written durable (or sent). */
    void flush() throws IOException;

    /** Flushes and releases the writer; called once, also when training stops with an error. */
    @Override
    void close() throws IOException;
}
