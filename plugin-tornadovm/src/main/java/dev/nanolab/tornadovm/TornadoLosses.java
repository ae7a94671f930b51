package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Embeddings;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.Losses;
import dev.nanolab.api.backend.Storage;
import dev.nanolab.api.backend.ext.SoftcappedLossKernels;
import dev.nanolab.tornadovm.kernels.KLosses;

/**
 * Cross-entropy, plain and over softcapped logits (rows in parallel, then the mean summed in double by one work-group) and embeddings. Out-of-range
 * targets and ids are reported by the kernels in a status block that the host checks: at the call when running
 * eagerly, at the next read inside a captured step.
 */
final class TornadoLosses extends Ops implements Losses, SoftcappedLossKernels, Embeddings {
    TornadoLosses(TornadoBackend backend) {
        super(backend);
    }

    @Override
    public void crossEntropy(Storage logits, Storage targets, Storage lse, Storage loss, int rows, int vocab,
                             int ignoreIndex) {
        crossEntropy(logits, targets, lse, loss, rows, vocab, ignoreIndex, KLosses.NO_CAP, 1f);
    }

    @Override
    public void crossEntropyBackward(Storage logits, Storage targets, Storage lse, Storage dLoss, Storage dLogits,
                                     int rows, int vocab, int ignoreIndex, boolean accumulate) {
        crossEntropyBackward(logits, targets, lse, dLoss, dLogits, rows, vocab, ignoreIndex, accumulate, KLosses.NO_CAP, 1f);
    }

    @Override
    public void crossEntropy(Storage logits, Storage targets, Storage lse, Storage loss, int rows, int vocab,
                             int ignoreIndex, LogitSoftcap softcap) {
        crossEntropy(logits, targets, lse, loss, rows, vocab, ignoreIndex, kind(softcap), softcap.cap());
    }

    @Override
    public void crossEntropyBackward(Storage logits, Storage targets, Storage lse, Storage dLoss, Storage dLogits,
                                     int rows, int vocab, int ignoreIndex, LogitSoftcap softcap, boolean accumulate) {
        crossEntropyBackward(logits, targets, lse, dLoss, dLogits, rows, vocab, ignoreIndex, accumulate, kind(softcap), softcap.cap());
    }

    private void crossEntropy(Storage logits, Storage targets, Storage lse, Storage loss, int rows, int vocab,
                              int ignoreIndex, int kind, float cap) {
        long n = (long) rows * vocab;
        int xo = f(logits, n), to = i(targets, 0, rows), lo = f(lse, rows), out = f(loss, 1);
        Storage rowLoss = scratch(rows);
        int rl = f(rowLoss, rows);
        if (rows > 0) launch(KernelCall.rows(Kernel.CROSS_ENTROPY_ROWS, rows, ints(xo, to, lo, rl, rows, vocab, ignoreIndex, kind), cap));
        launch(KernelCall.single(Kernel.CROSS_ENTROPY_MEAN, ints(to, rl, out, rows, ignoreIndex)));
        release(rowLoss);
        engine.checkStatusIfEager();
    }

    private void crossEntropyBackward(Storage logits, Storage targets, Storage lse, Storage dLoss, Storage dLogits,
                                      int rows, int vocab, int ignoreIndex, boolean accumulate, int kind, float cap) {
        long n = (long) rows * vocab;
        int xo = f(logits, n), to = i(targets, 0, rows), lo = f(lse, rows), dl = f(dLoss, 1), dOut = f(dLogits, n);
        Storage scale = scratch(1);
        int so = f(scale, 1);
        launch(KernelCall.single(Kernel.CROSS_ENTROPY_SCALE, ints(to, rows, ignoreIndex, dl, so)));
        if (n > 0) launch(KernelCall.elementwise(Kernel.CROSS_ENTROPY_BACKWARD, n, ints(xo, to, lo, so, dOut, rows, vocab,
                ignoreIndex, flag(accumulate), kind), cap));
        release(scale);
    }

    private static int kind(LogitSoftcap softcap) {
        return softcap.kind() == LogitSoftcap.Kind.SIGMOID ? KLosses.SIGMOID_CAP : KLosses.TANH_CAP;
    }

    @Override
    public void lookup(Storage ids, Storage table, Storage out, int n, int dim, int vocab) {
        long total = (long) n * dim;
        int io = i(ids, 0, n), to = f(table, (long) vocab * dim), oo = f(out, total);
        if (total == 0) return;
        launch(KernelCall.elementwise(Kernel.EMBEDDING_LOOKUP, total, ints(io, to, oo, n, dim, vocab)));
        engine.checkStatusIfEager();
    }

    @Override
    public void lookupBackward(Storage ids, Storage dOut, Storage dTable, int n, int dim, int vocab, boolean accumulate) {
        long tableN = (long) vocab * dim;
        int io = i(ids, 0, n), go = f(dOut, (long) n * dim), to = f(dTable, tableN);
        if (!accumulate && tableN > 0) launch(KernelCall.elementwise(Kernel.FILL_F, tableN, ints(to, (int) tableN), 0f));
        if (n > 0 && dim > 0) launch(KernelCall.elementwise(Kernel.EMBEDDING_BACKWARD, dim, ints(io, go, to, n, dim, vocab)));
    }
}
