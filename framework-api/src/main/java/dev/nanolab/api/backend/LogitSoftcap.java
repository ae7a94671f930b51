package dev.nanolab.api.backend;

/**
 * A logit softcap, {@code s = softcap(z)}, bounding every logit to (−cap, cap) or (0, cap) before the softmax:
 * <ul>
 *   <li>{@link Kind#TANH}: {@code s = cap·tanh(z/cap)} (Gemma 2); {@code ds/dz = 1 − (s/cap)²};</li>
 *   <li>{@link Kind#SIGMOID}: {@code s = cap·σ(4z/cap)}, modded-nanogpt's {@code 30·σ(z/7.5)} at cap 30; the slope at
 *       0 is 1, as tanh's; {@code ds/dz = 4·(s/cap)·(1 − s/cap)}.</li>
 * </ul>
 */
public record LogitSoftcap(Kind kind, float cap) {
    public enum Kind { TANH, SIGMOID }

    public LogitSoftcap {
        if (kind == null) throw new IllegalArgumentException("softcap: kind is null");
        if (!(cap > 0) || Float.isInfinite(cap)) throw new IllegalArgumentException("softcap: cap must be a positive number, got " + cap);
    }

    /** softcap(z) in double: the reference the kernels are tested against. */
    public double apply(double z) {
        return switch (kind) {
            case TANH -> cap * Math.tanh(z / cap);
            case SIGMOID -> cap / (1 + Math.exp(-4 * z / cap));
        };
    }
}
