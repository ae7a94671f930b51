package dev.nanolab.api.backend;

/** Placeholder replaced by the tensor engine's op-level SPI. */
public interface Backend extends AutoCloseable {
    String name();

    @Override
    void close();
}
