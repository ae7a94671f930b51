package dev.nanolab.models;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.model.Decoder;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import org.assertj.core.data.Offset;

/** KV-cached decoding against recomputation: the same logits after a 3-token prompt and after each random next token. */
final class DecoderCheck {
    private DecoderCheck() {}

    /** For batches of 1 and 3, a prompt of 3 random ids, then {@code steps} single random ids. */
    static void cachedMatchesRecomputed(String name, LanguageModel model, Backend be, int vocab, int steps, float tolerance) {
        for (int batch : new int[] {1, 3}) {
            try (Decoder cached = model.decoder(batch); Decoder plain = model.recomputingDecoder(batch); TensorScope s = TensorScope.open()) {
                Rng rng = new Rng(batch);
                int[] prompt = new int[batch * 3];
                for (int i = 0; i < prompt.length; i++) prompt[i] = rng.nextInt(vocab);
                Tensor p = Tensor.ofInts(be, prompt, batch, 3);
                assertThat(cached.feed(p).toFloatArray()).as("%s batch %d prompt", name, batch)
                        .containsExactly(plain.feed(p).toFloatArray(), Offset.offset(tolerance));
                int[] next = new int[batch];
                for (int step = 0; step < steps; step++) {
                    for (int i = 0; i < batch; i++) next[i] = rng.nextInt(vocab);
                    Tensor n = Tensor.ofInts(be, next, batch, 1);
                    float[] a = cached.feed(n).toFloatArray(), b = plain.feed(n).toFloatArray();
                    assertThat(a).as("%s batch %d step %d", name, batch, step).containsExactly(b, Offset.offset(tolerance));
                }
            }
        }
    }
}
