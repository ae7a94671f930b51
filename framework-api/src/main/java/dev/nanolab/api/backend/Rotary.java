package dev.nanolab.api.backend;

/**
 * Rotary position embedding (Su et al. 2021, "RoFormer") on rows that hold heads side by side. In each head of D
 * channels the pairs (j, j + D/2), j &lt; D/2, are rotated by the angle pos·ω_j, with pos = positionOffset + t:
 * {@code y_j = x_j·cos + x_{j+D/2}·sin}, {@code y_{j+D/2} = −x_j·sin + x_{j+D/2}·cos} (modded-nanogpt's pairing and
 * sign). {@code cos} and {@code sin} are tables (maxPositions, D/2) of cos(pos·ω_j) and sin(pos·ω_j); a pair with
 * ω_j = 0 is left as it is (half-truncated RoPE). Row r = b·T + t of x starts at {@code x.offset() + r·x.rowStride()}
 * (so q and k can be read in place from a packed projection); y likewise.
 *
 * <p>The rotation is orthogonal, so the backward is the inverse rotation of dy ({@code inverse}).
 */
public interface Rotary {
    /**
     * @param inverse    rotate by −pos·ω (the backward)
     * @param accumulate add to y instead of overwriting it
     */
    void rotate(RowView x, RowView y, Storage cos, Storage sin, RotaryShape shape, boolean inverse, boolean accumulate);
}
