package dev.nanolab.training.data;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;

/**
 * nanoGPT's {@code get_batch}: {@code batch} random windows of {@code block + 1} tokens; inputs are the first
 * {@code block}, targets the same shifted by one. The offsets come from a generator whose state checkpoints save,
 * so a resumed run draws the same batches.
 */
public final class BatchSampler {
    private final TokenFile tokens;
    private final int batch;
    private final int block;
    private final Rng rng;
    private final int[] x;
    private final int[] y;
    private final int[] window;

    public BatchSampler(TokenFile tokens, int batch, int block, Rng rng) {
        if (tokens.count() <= block)
            throw new IllegalArgumentException(tokens.path() + " holds " + tokens.count() + " tokens: too few for one block of "
                    + block + " plus its target; use a smaller block_size or more data");
        this.tokens = tokens;
        this.batch = batch;
        this.block = block;
        this.rng = rng;
        this.x = new int[batch * block];
        this.y = new int[batch * block];
        this.window = new int[block + 1];
    }

    public Rng rng() {
        return rng;
    }

    /** Draws the next batch into the given int tensors (B, T), which must have that shape. */
    public void next(Tensor inputs, Tensor targets) {
        long span = tokens.count() - block;
        for (int b = 0; b < batch; b++) {
            long start = span <= Integer.MAX_VALUE ? rng.nextInt((int) span) : (long) (rng.nextDouble() * span);
            tokens.read(start, window, 0, block + 1);
            System.arraycopy(window, 0, x, b * block, block);
            System.arraycopy(window, 1, y, b * block, block);
        }
        inputs.set(x);
        targets.set(y);
    }

    /** A fresh (B, T) int tensor for inputs or targets. */
    public Tensor newBatchTensor(Backend backend) {
        return Tensor.ofInts(backend, new int[batch * block], batch, block);
    }
}
