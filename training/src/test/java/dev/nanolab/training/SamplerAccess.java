package dev.nanolab.training;

import dev.nanolab.training.sample.Sampler;
import dev.nanolab.training.sample.SamplerAccessHelper;

final class SamplerAccess {
    private SamplerAccess() {}

    static int draw(Sampler s, float[] logits) {
        return SamplerAccessHelper.draw(s, logits);
    }
}
