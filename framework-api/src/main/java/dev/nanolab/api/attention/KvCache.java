package dev.nanolab.api.attention;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;

/**
 * One attention layer's keys and values for incremental decoding: (B, capacity, C) each, the first {@link #length()}
 * positions filled. A block's attention appends the new positions' keys and values and attends over all of them, so
 * a decoder runs the same {@code Block.forward(x, cache)} as training, one position's work per new token.
 */
public final class KvCache implements AutoCloseable {
    private final Tensor keys, values;
    private final int batch, capacity, width;
    private int length;

    /** The cached keys and values of every position so far, (B, length, C) each. */
    public record Entries(Tensor keys, Tensor values) {}

    public KvCache(Backend backend, int batch, int capacity, int width) {
        this.batch = batch;
        this.capacity = capacity;
        this.width = width;
        this.keys = Tensor.empty(backend, Shape.of(batch, capacity, width)).keep();
        this.values = Tensor.empty(backend, Shape.of(batch, capacity, width)).keep();
    }

    /** Positions cached so far: the position of the next one. */
    public int length() {
        return length;
    }

    /** Forgets every position (the decoder restarts from a cropped context). */
    public void reset() {
        length = 0;
    }

    /**
     * Appends the keys and values of n new positions, (B, n, C) each, and returns those of every cached position.
     *
     * @throws IllegalStateException when the cache would overflow its capacity
     */
    public Entries append(Tensor k, Tensor v) {
        int n = k.dim(1);
        if (length + n > capacity)
            throw new IllegalStateException("KV cache full: " + length + " + " + n + " positions > capacity " + capacity);
        keys.writeSlice(1, length, k);
        values.writeSlice(1, length, v);
        length += n;
        return new Entries(prefix(keys), prefix(values));
    }

    /** cache[:, :length, :] as a contiguous (B, length, C) tensor: a view when B = 1, a copy otherwise. */
    private Tensor prefix(Tensor cache) {
        if (batch == 1) return Tensor.wrap(cache.backend(), cache.storage(), cache.offset(), Shape.of(1, length, width));
        return cache.slice(1, 0, length);
    }

    @Override
    public void close() {
        keys.release();
        values.release();
    }
}
