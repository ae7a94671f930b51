package dev.nanolab.api.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomStreamTest {
    /** Every (purpose, iteration) pair of a run starts from its own state and draws its own numbers. */
    @Test
    void streamsOfDifferentPurposesAndIterationsNeverCoincide() {
        for (long seed : new long[] {0, 1337, -1, Long.MIN_VALUE}) {
            Map<Long, String> states = new HashMap<>(), firstDraws = new HashMap<>();
            for (RandomStream purpose : RandomStream.values())
                for (long iter = 0; iter < 20_000; iter++) {
                    String who = purpose + "@" + iter;
                    Rng rng = purpose.of(seed, iter);
                    assertThat(states.put(rng.state(), who)).as("state of %s, seed %d", who, seed).isNull();
                    assertThat(firstDraws.put(rng.nextLong(), who)).as("first draw of %s, seed %d", who, seed).isNull();
                }
        }
    }

    /** The old numeric ids 1, 2, 3 (weights, dropout, batches) are kept, so earlier runs draw the same numbers. */
    @Test
    void theOnceDrawnStreamsKeepTheirEarlierIds() {
        Rng root = new Rng(1337);
        assertThat(RandomStream.WEIGHTS.of(1337).nextLong()).isEqualTo(root.fork(1).nextLong());
        assertThat(RandomStream.DROPOUT.of(1337).nextLong()).isEqualTo(root.fork(2).nextLong());
        assertThat(RandomStream.TRAIN_BATCHES.of(1337).nextLong()).isEqualTo(root.fork(3).nextLong());
    }

    /** The bug this replaced: eval ids 1000 + 2·iter + split and recalibration ids 5000 + iter overlapped. */
    @Test
    void anEvaluationAndARecalibrationAtOtherIterationsDrawDifferentBatches() {
        assertThat(new Rng(7).fork(1000 + 2000 * 2).nextLong()).isEqualTo(new Rng(7).fork(5000).nextLong());
        assertThat(RandomStream.EVAL_TRAIN_BATCHES.of(7, 2000).nextLong())
                .isNotEqualTo(RandomStream.RECALIBRATION_BATCHES.of(7, 0).nextLong());
    }

    @Test
    void aNegativeIndexIsRefused() {
        assertThatThrownBy(() -> RandomStream.EVAL_VAL_BATCHES.of(1, -1)).hasMessageContaining("stream index -1");
    }
}
