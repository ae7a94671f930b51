package dev.nanolab.models.mlp;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.nn.Init;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Shape;
import dev.nanolab.api.tensor.Tensor;

/**
 * Batch normalisation over the rows of (N, C) activations, as PyTorch's {@code BatchNorm1d}, composed from tensor ops
 * so autograd gives the backward.
 *
 * <ul>
 *   <li>Training: normalise by the batch mean and biased variance, and move the running statistics toward them with
 *       momentum 0.1 (the running variance takes the unbiased batch variance, as PyTorch's does).
 *   <li>Eval: normalise by the running statistics, so each row's output depends on that row alone.
 *   <li>Recalibration (PreciseBN): between {@link #startRecalibration()} and {@link #finishRecalibration()},
 *       normalise by batch statistics as in training and accumulate them; finishing sets the running statistics to
 *       the mean and unbiased variance of every row seen, pooled over the batches.
 * </ul>
 *
 * The running statistics are buffers ({@code running_mean}, {@code running_var}): checkpoints save them.
 */
public final class BatchNorm1d extends Layer {
    public static final float EPS = 1e-5f;
    public static final float MOMENTUM = 0.1f;
    private final int channels;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    /** Σ rows, Σ rows·mean, Σ rows·(var + mean²) per channel while recalibrating; null otherwise. */
    private double[][] pooled;
    private long pooledRows;

    public BatchNorm1d(Backend backend, int channels) {
        this.channels = channels;
        weight = parameter("weight", Init.ones().create(backend, channels));
        bias = parameter("bias", Init.zeros().create(backend, channels));
        runningMean = buffer("running_mean", Init.zeros().create(backend, channels));
        runningVar = buffer("running_var", Init.ones().create(backend, channels));
    }

    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != channels)
            throw new IllegalArgumentException("batch norm over " + channels + " channels: expected (N, " + channels + "), got " + x.shape());
        if (!isTraining() && pooled == null)
            return emit(x.sub(runningMean).mul(runningVar.add(EPS).rsqrt()).mul(weight).add(bias));
        int n = x.dim(0);
        if (n < 2) throw new IllegalArgumentException("batch norm needs more than one row per batch in training, got " + x.shape());
        Tensor mean = x.mean(0, true);
        Tensor centered = x.sub(mean);
        Tensor var = centered.square().mean(0, true);
        Tensor y = centered.mul(var.add(EPS).rsqrt()).mul(weight).add(bias);
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Tensor m = mean.view(Shape.of(channels)), v = var.view(Shape.of(channels));
            if (pooled != null) {
                pool(m.toFloatArray(), v.toFloatArray(), n);
            } else {
                runningMean.copyFrom(runningMean.mul(1 - MOMENTUM).add(m.mul(MOMENTUM)));
                runningVar.copyFrom(runningVar.mul(1 - MOMENTUM).add(v.mul(MOMENTUM * n / (n - 1f))));
            }
        }
        return emit(y);
    }

    private void pool(float[] mean, float[] var, int n) {
        for (int j = 0; j < channels; j++) {
            pooled[0][j] += (double) n * mean[j];
            pooled[1][j] += (double) n * ((double) var[j] + (double) mean[j] * mean[j]);
        }
        pooledRows += n;
    }

    /** From now on, forward normalises by batch statistics (in either mode) and pools them. */
    public void startRecalibration() {
        pooled = new double[2][channels];
        pooledRows = 0;
    }

    /** Sets the running statistics to the pooled ones (unchanged if no batch was seen) and ends recalibration. */
    public void finishRecalibration() {
        if (pooled == null) throw new IllegalStateException("finishRecalibration without startRecalibration");
        if (pooledRows > 1) {
            float[] mean = new float[channels], var = new float[channels];
            for (int j = 0; j < channels; j++) {
                double m = pooled[0][j] / pooledRows;
                double v = Math.max(0, pooled[1][j] / pooledRows - m * m);
                mean[j] = (float) m;
                var[j] = (float) (v * pooledRows / (pooledRows - 1));
            }
            runningMean.set(mean);
            runningVar.set(var);
        }
        pooled = null;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }
}
