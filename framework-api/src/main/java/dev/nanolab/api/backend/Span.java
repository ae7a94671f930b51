package dev.nanolab.api.backend;

/** A run of contiguous elements in a storage, from an offset: one operand of an elementwise kernel. */
public record Span(Storage storage, long offset) {
    public Span {
        if (storage == null) throw new IllegalArgumentException("a span needs a storage");
        if (offset < 0) throw new IllegalArgumentException("span offset " + offset + " < 0");
    }
}
