package dev.nanolab.api.backend;

/** The rows one {@link Rotary} call rotates: (batch, time) rows of {@code heads} heads of {@code headDim} channels. */
public record RotaryShape(int batch, int time, int heads, int headDim, int positionOffset) {
    public RotaryShape {
        if (batch < 1 || time < 1 || heads < 1 || headDim < 2 || headDim % 2 != 0 || positionOffset < 0)
            throw new IllegalArgumentException("bad rotary shape B=" + batch + " T=" + time + " H=" + heads + " D=" + headDim
                    + " offset " + positionOffset + " (D must be even)");
    }
}
