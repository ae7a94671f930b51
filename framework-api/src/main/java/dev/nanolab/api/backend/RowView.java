package dev.nanolab.api.backend;

/**
 * Rows of a matrix inside a storage: row r starts at {@code offset + r · rowStride}. A stride wider than the row
 * reads a slice of wider rows in place, e.g. the k columns of a packed (B, T, 3C) q/k/v projection at offset C with
 * stride 3C.
 */
public record RowView(Storage storage, long offset, int rowStride) {
    public RowView {
        if (storage == null) throw new IllegalArgumentException("a row view needs a storage");
        if (offset < 0 || rowStride < 1)
            throw new IllegalArgumentException("row view offset " + offset + " / row stride " + rowStride + " out of range");
    }
}
