package dev.nanolab.tokenizers.codec;

import java.util.Arrays;

/** A growable list of token ids, for building an encoding without boxing. Not thread-safe. */
public final class TokenBuffer {
    private int[] ids;
    private int size;

    public TokenBuffer(int capacity) {
        ids = new int[Math.max(capacity, 8)];
    }

    public void add(int id) {
        if (size == ids.length) ids = Arrays.copyOf(ids, ids.length * 2);
        ids[size++] = id;
    }

    public void addAll(int[] more) {
        addAll(more, 0, more.length);
    }

    public void addAll(int[] more, int from, int to) {
        int n = to - from;
        if (size + n > ids.length) ids = Arrays.copyOf(ids, Math.max(ids.length * 2, size + n));
        System.arraycopy(more, from, ids, size, n);
        size += n;
    }

    public int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
