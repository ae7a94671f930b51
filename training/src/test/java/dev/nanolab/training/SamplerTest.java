package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.training.sample.Sampler;
import dev.nanolab.training.sample.SamplerAccessHelper;
import dev.nanolab.training.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sampling: the KV cache changes nothing, and the filters do what they say. */
class SamplerTest {
    @TempDir
    Path dir;

    @Test
    void samplingWithAKvCacheGivesExactlyTheTokensOfSamplingWithout() throws Exception {
        for (String attention : new String[] {"softmax", "softmax1"}) {
            try (TrainingRun run = TrainingRun.open(Fixtures.config(dir.resolve(attention), 1, 1, 1e-3, attention), "", Fixtures.REGISTRY,
                    new PrintStream(new ByteArrayOutputStream()))) {
                var opts = new Sampler.Options(1.0, 0, 1.0, 60, -1); // 60 tokens: well past block_size 16
                int[] prompt = run.data().tokenizer().encode("public int ");
                int[] cached = new Sampler(run.model(), opts, 42).generate(prompt, null);
                int[] plain = new Sampler(run.model(), opts, 42).withoutCache().generate(prompt, null);
                assertThat(cached).hasSize(60).containsExactly(plain);
            }
        }
    }

    @Test
    void topKOneIsArgmaxAndTopPKeepsTheSmallestNucleus() throws Exception {
        try (TrainingRun run = TrainingRun.open(Fixtures.config(dir, 1, 1, 1e-3, "softmax"), "", Fixtures.REGISTRY,
                new PrintStream(new ByteArrayOutputStream()))) {
            // A draw from logits is a package-private step, reached through SamplerAccessHelper.
            float[] logits = {0f, 3f, 1f, 2.9f, -1f};
            int[] counts = new int[5];
            Sampler greedy = new Sampler(run.model(), new Sampler.Options(1.0, 1, 1.0, 1, -1), 1);
            Sampler nucleus = new Sampler(run.model(), new Sampler.Options(1.0, 0, 0.8, 1, -1), 2);
            for (int i = 0; i < 2000; i++) {
                assertThat(SamplerAccessHelper.draw(greedy, logits)).isEqualTo(1);
                counts[SamplerAccessHelper.draw(nucleus, logits)]++;
            }
            // softmax([0,3,1,2.9,-1]) ≈ [.022,.48,.065,.43,.008]: the top two carry .91 ≥ .8, so only 1 and 3 are drawn.
            assertThat(counts[0] + counts[2] + counts[4]).isZero();
            assertThat(counts[1]).isBetween(900, 1200);
            assertThat(counts[3]).isBetween(800, 1100);
        }
    }
}
