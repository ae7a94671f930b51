package dev.nanolab.training.sample;

/** Test access to the sampler's single draw. */
public final class SamplerAccessHelper {
    private SamplerAccessHelper() {}

    public static int draw(Sampler s, float[] logits) {
        return s.draw(logits);
    }
}
