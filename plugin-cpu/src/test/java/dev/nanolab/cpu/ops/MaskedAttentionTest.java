package dev.nanolab.cpu.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Document masks (and windows) in the fused attention: against a naive double reference with central finite
 * differences, and against the unfused composition (scores, mask, normaliser, weighted sum) to 1e-5, forward and
 * backward, for causal, window, document and window + document, with softmax and softmax1. Shapes put windows
 * smaller than a 4-row tile, documents that end mid-tile, and rows longer than a 64-key block.
 */
class MaskedAttentionTest {
    private static final int BOS = 0;

    /** Ids of B rows of T tokens with boundary tokens at the given positions of each row (other ids 1). */
    private static int[] ids(int B, int T, int[][] boundaries) {
        int[] ids = new int[B * T];
        java.util.Arrays.fill(ids, 1);
        for (int b = 0; b < B; b++) for (int p : boundaries[b]) ids[b * T + p] = BOS;
        return ids;
    }

    private static int[] starts(int[] ids, int B, int T) {
        int[] s = new int[B * T];
        for (int b = 0; b < B; b++) {
            int start = 0;
            for (int i = 0; i < T; i++) {
                if (ids[b * T + i] == BOS) start = i;
                s[b * T + i] = start;
            }
        }
        return s;
    }

    @Test
    void documentStartsFollowBoundaryTokens() {
        try (var be = new CpuBackend(1, true); var scope = TensorScope.open()) {
            Tensor ids = Tensor.ofInts(be, new int[] {5, 0, 7, 8, 0, 9, 0, 0, 3, 4}, 2, 5);
            assertThat(F.documentStarts(ids, 0, 0, null).toIntArray()).containsExactly(0, 1, 1, 1, 4, 0, 1, 2, 2, 2);
            // A decoder's later window: absolute positions from 10, documents carried over from before.
            assertThat(F.documentStarts(ids, 0, 10, new int[] {3, 7}).toIntArray()).containsExactly(3, 11, 11, 11, 14, 7, 11, 12, 12, 12);
        }
    }

    private void gradCheck(String name, int B, int T, int H, int D, int window, float extra, int[][] boundaries) {
        GradCheck gc = new GradCheck(name.hashCode());
        int C = H * D;
        int[] ids = ids(B, T, boundaries), starts = starts(ids, B, T);
        double[] qkv = gc.randn(B * T * 3 * C, 1);
        gc.check(name, List.of(GradCheck.Input.of(qkv, B, T, 3 * C)), xs -> {
            Tensor docs = F.documentStarts(Tensor.ofInts(xs.get(0).backend(), ids, B, T), BOS, 0, null);
            return F.causalSelfAttention(xs.get(0), H, new F.AttentionOptions(window, extra, null, 0f, 0L).withDocuments(docs)).out();
        }, r -> {
            double[] q = new double[B * T * C], k = new double[B * T * C], v = new double[B * T * C];
            for (int row = 0; row < B * T; row++)
                for (int c = 0; c < C; c++) {
                    q[row * C + c] = r.get(0)[row * 3 * C + c];
                    k[row * C + c] = r.get(0)[row * 3 * C + C + c];
                    v[row * C + c] = r.get(0)[row * 3 * C + 2 * C + c];
                }
            return Ref.maskedAttention(q, k, v, B, H, T, T, D, window, extra, starts);
        });
    }

    @Test
    void finiteDifferencesWithDocumentsEndingMidTile() {
        int[][] docs = {{0, 3, 6}, {5}, {1, 2, 9}};
        gradCheck("documents softmax", 3, 11, 2, 5, 0, Float.NEGATIVE_INFINITY, docs);
        gradCheck("documents softmax1", 3, 11, 2, 5, 0, 0f, docs);
        gradCheck("documents window 3", 3, 11, 2, 5, 3, Float.NEGATIVE_INFINITY, docs);
        gradCheck("documents window 2 softmax1", 3, 11, 2, 5, 2, 0f, docs);
    }

    @Test
    void fusedEqualsTheUnfusedCompositionForEveryMask() {
        int B = 2, T = 70, H = 3, D = 8, C = H * D;
        int[][] boundaries = {{0, 13, 14, 41, 66}, {30}};
        for (boolean documents : new boolean[] {false, true})
            for (int window : new int[] {0, 3, 17})
                for (float extra : new float[] {Float.NEGATIVE_INFINITY, 0f})
                    try (var be = new CpuBackend(2, true); var scope = TensorScope.open()) {
                        Rng rng = new Rng(7 + window);
                        float[] data = Tensor.randn(be, rng, 1f, B, T, 3 * C).toFloatArray();
                        float[] g = Tensor.randn(be, rng, 1f, B, T, C).toFloatArray();
                        Tensor docs = documents ? F.documentStarts(Tensor.ofInts(be, ids(B, T, boundaries), B, T), BOS, 0, null) : null;
                        F.AttentionOptions o = new F.AttentionOptions(window, extra, null, 0f, 0L).withDocuments(docs);

                        Tensor fq = Tensor.of(be, data, B, T, 3 * C).requiresGrad(true);
                        Tensor fused = F.causalSelfAttention(fq, H, o).out();
                        fused.backward(Tensor.of(be, g, B, T, C));

                        Tensor uq = Tensor.of(be, data, B, T, 3 * C).requiresGrad(true);
                        List<Tensor> p = uq.split(2, C, C, C);
                        Tensor q = p.get(0).reshape(B, T, H, D).permute(0, 2, 1, 3);
                        Tensor k = p.get(1).reshape(B, T, H, D).permute(0, 2, 1, 3);
                        Tensor v = p.get(2).reshape(B, T, H, D).permute(0, 2, 1, 3);
                        Tensor scores = q.matmul(k, false, true).mul((float) (1 / Math.sqrt(D)));
                        var mask = new dev.nanolab.api.backend.CausalMask(T, T, 0, window);
                        if (docs != null) mask = mask.withDocuments(docs.storage(), H);
                        Tensor unfused = F.softmax(scores, mask, extra).matmul(v).permute(0, 2, 1, 3).reshape(B, T, C);
                        unfused.backward(Tensor.of(be, g, B, T, C));

                        String what = "documents=" + documents + " window=" + window + " extra=" + extra;
                        close(what + " out", fused.toFloatArray(), unfused.toFloatArray());
                        close(what + " dqkv", fq.grad().toFloatArray(), uq.grad().toFloatArray());
                    }
    }

    /** A query whose document starts at itself attends to itself alone: out = v, whatever the scores. */
    @Test
    void aQueryOpeningItsDocumentSeesOnlyItself() {
        int B = 1, T = 9, H = 2, D = 4, C = H * D;
        try (var be = new CpuBackend(1, true); var scope = TensorScope.open()) {
            float[] data = Tensor.randn(be, new Rng(3), 2f, B, T, 3 * C).toFloatArray();
            Tensor docs = F.documentStarts(Tensor.ofInts(be, ids(B, T, new int[][] {{5}}), B, T), BOS, 0, null);
            float[] out = F.causalSelfAttention(Tensor.of(be, data, B, T, 3 * C), H,
                    new F.AttentionOptions(0, Float.NEGATIVE_INFINITY, null, 0f, 0L).withDocuments(docs)).out().toFloatArray();
            for (int c = 0; c < C; c++) assertThat(out[5 * C + c]).isCloseTo(data[5 * 3 * C + 2 * C + c], within(1e-6f));
        }
    }

    private static void close(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what + " length").hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++)
            assertThat((double) actual[i]).as("%s element %d", what, i)
                    .isCloseTo(expected[i], within(1e-5 * Math.max(1, Math.abs(expected[i]))));
    }
}
