package dev.nanolab.api.tensor;

/**
 * The purposes a run draws random numbers for, each its own independent stream derived from the run's seed. A
 * stream that is redrawn at every evaluation takes the iteration as its index, so an evaluation at iteration 2000
 * and a recalibration at iteration 0 can never share batches.
 *
 * <p>A stream is {@code new Rng(seed).fork(id)} with {@code id = (index << 4) | code}: distinct (purpose, index)
 * pairs give distinct ids, and {@link Rng#fork} maps distinct ids of one seed to distinct states, so no two streams
 * of a run coincide (for indices below 2⁶⁰). The codes of the first three purposes are the ids nanolab used before
 * streams had names, so runs and checkpoints from then draw the same weights, dropout masks and batches.
 */
public enum RandomStream {
    /** Initial weights. */
    WEIGHTS(1),
    /** Dropout masks, drawn in training order. */
    DROPOUT(2),
    /** The training batches. */
    TRAIN_BATCHES(3),
    /** The batches of an evaluation on the training split; index: the iteration. */
    EVAL_TRAIN_BATCHES(4),
    /** The batches of an evaluation on the validation split; index: the iteration. */
    EVAL_VAL_BATCHES(5),
    /** The batches a model recalibrates its statistics on (PreciseBN) before an evaluation; index: the iteration. */
    RECALIBRATION_BATCHES(6);

    private final int code;

    RandomStream(int code) {
        this.code = code;
    }

    /** This purpose's generator for a run seeded {@code seed}, at {@code index} (0 for streams drawn once). */
    public Rng of(long seed, long index) {
        if (index < 0 || index >= 1L << 60) throw new IllegalArgumentException("stream index " + index + " out of [0, 2^60)");
        return new Rng(seed).fork(index << 4 | code);
    }

    /** This purpose's generator for a run seeded {@code seed}, for streams drawn once. */
    public Rng of(long seed) {
        return of(seed, 0);
    }
}
