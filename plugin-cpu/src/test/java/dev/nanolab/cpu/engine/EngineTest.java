package dev.nanolab.cpu.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.backend.CausalMask;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

/** Autograd bookkeeping, memory reuse, and how the engine treats bad input and non-finite values. */
class EngineTest {
    @Test
    void gradientsAccumulateAcrossBackwardsUntilZeroed() {
        try (CpuBackend be = new CpuBackend(1, true); TensorScope s = TensorScope.open()) {
            Tensor w = Tensor.of(be, new float[] {1, 2, 3}, 3).requiresGrad(true);
            w.mul(w).sum().backward();
            assertThat(w.grad().toFloatArray()).containsExactly(2, 4, 6);
            w.mul(3f).sum().backward();
            assertThat(w.grad().toFloatArray()).containsExactly(5, 7, 9);
            w.zeroGrad();
            assertThat(w.grad()).isNull();
            w.sum().backward();
            assertThat(w.grad().toFloatArray()).containsExactly(1, 1, 1);
        }
    }

    @Test
    void noGradScopesRecordNothingAndDetachCutsTheGraph() {
        try (CpuBackend be = new CpuBackend(1, true); TensorScope s = TensorScope.open()) {
            Tensor w = Tensor.of(be, new float[] {1, 2}, 2).requiresGrad(true);
            try (GradMode.Scope ng = GradMode.disabled()) {
                assertThat(w.mul(w).requiresGrad()).isFalse();
            }
            Tensor y = w.mul(w.detach()).sum(); // d/dw (w · const) = const
            y.backward();
            assertThat(w.grad().toFloatArray()).containsExactly(1, 2);
            assertThatThrownBy(() -> Tensor.of(be, new float[] {1}, 1).backward()).hasMessageContaining("does not require grad");
        }
    }

    @Test
    void aWarmStepAllocatesNothing() {
        try (CpuBackend be = new CpuBackend(2, false)) {
            Rng rng = new Rng(1);
            Tensor w = TensorScope.outside(() -> Tensor.randn(be, rng, 0.1f, 32, 16).requiresGrad(true));
            Tensor x = TensorScope.outside(() -> Tensor.randn(be, rng, 1f, 8, 16));
            Tensor t = TensorScope.outside(() -> Tensor.ofInts(be, new int[] {1, 2, 3, 4, 5, 6, 7, 0}, 8));
            long[] fresh = new long[6];
            for (int step = 0; step < fresh.length; step++) {
                try (TensorScope s = TensorScope.open()) {
                    w.zeroGrad();
                    F.crossEntropy(F.gelu(F.linear(F.layerNorm(x, Tensor.full(be, 1f, 16), null, 1e-5f), w, null)), t, -1).backward();
                }
                fresh[step] = be.memory().freshAllocations();
            }
            assertThat(fresh[5]).as("storages allocated after warm-up").isEqualTo(fresh[2]);
        }
    }

    @Test
    void aReleasedTensorSaysSoInsteadOfReadingRecycledMemory() {
        try (CpuBackend be = new CpuBackend(1, false)) {
            Tensor kept;
            Tensor dropped;
            try (TensorScope s = TensorScope.open()) {
                kept = Tensor.of(be, new float[] {4}, 1).keep();
                dropped = Tensor.of(be, new float[] {5}, 1);
            }
            assertThat(kept.item()).isEqualTo(4f);
            assertThatThrownBy(dropped::item).hasMessageContaining("was released");
        }
    }

    @Test
    void shapeMismatchesNameTheOpAndBothShapes() {
        try (CpuBackend be = new CpuBackend(1, false); TensorScope s = TensorScope.open()) {
            Tensor a = Tensor.zeros(be, 2, 3), b = Tensor.zeros(be, 4, 5);
            assertThatThrownBy(() -> a.matmul(b)).hasMessage("matmul: shapes (2, 3) and (4, 5) do not match: inner dimensions 3 and 4 differ");
            assertThatThrownBy(() -> a.add(Tensor.zeros(be, 3, 2))).hasMessageStartingWith("add: shapes (2, 3) and (3, 2) do not broadcast");
            assertThatThrownBy(() -> a.reshape(4, 2)).hasMessageContaining("reshape").hasMessageContaining("(2, 3)");
            assertThatThrownBy(() -> F.linear(a, Tensor.zeros(be, 5, 4), null)).hasMessageContaining("linear").hasMessageContaining("(2, 3)").hasMessageContaining("(5, 4)");
        }
    }

    @Test
    void tensorsOfTwoBackendsAreNeverMixed() {
        try (CpuBackend one = new CpuBackend(1, false); CpuBackend two = new CpuBackend(1, false); TensorScope s = TensorScope.open()) {
            Tensor a = Tensor.zeros(one, 2), b = Tensor.zeros(two, 2);
            assertThatThrownBy(() -> a.add(b)).hasMessageContaining("different backends");
            assertThatThrownBy(() -> F.linear(Tensor.zeros(one, 1, 2), Tensor.zeros(two, 2, 2), null)).hasMessageContaining("different backends");
            assertThat(b.to(one).add(a).toFloatArray()).containsExactly(0, 0);
        }
    }

    @Test
    void nanAndInfinityPropagateAsIeeeSays() {
        try (CpuBackend be = new CpuBackend(2, false); TensorScope s = TensorScope.open()) {
            float nan = Float.NaN, inf = Float.POSITIVE_INFINITY;
            Tensor x = Tensor.of(be, new float[] {1, nan, inf, -inf, 0}, 5);
            assertThat(x.exp().toFloatArray()).satisfies(v -> {
                assertThat(v[1]).isNaN();
                assertThat(v[2]).isEqualTo(inf);
                assertThat(v[3]).isZero();
            });
            assertThat(x.add(x).toFloatArray()[1]).isNaN();
            assertThat(x.relu().toFloatArray()[1]).isNaN();
            assertThat(x.tanh().toFloatArray()).satisfies(v -> {
                assertThat(v[1]).isNaN();
                assertThat(v[2]).isEqualTo(1f);
            });
            assertThat(x.sum().item()).isNaN();
            assertThat(x.max(0, false).item()).isNaN();
            for (float v : F.softmax(Tensor.of(be, new float[] {1, nan, 2}, 1, 3)).toFloatArray()) assertThat(v).isNaN();
            Tensor w = Tensor.of(be, new float[] {nan, 1, 1, 1}, 2, 2);
            assertThat(Tensor.of(be, new float[] {1, 1}, 1, 2).matmul(w).toFloatArray()[0]).isNaN();
            float ce = F.crossEntropy(Tensor.of(be, new float[] {nan, 0, 0}, 1, 3), Tensor.ofInts(be, new int[] {1}, 1), -1).item();
            assertThat(ce).isNaN();
        }
    }

    @Test
    void softmax1StaysFiniteAndFallsToZeroWhereSoftmaxCannot() {
        try (CpuBackend be = new CpuBackend(1, true); TensorScope s = TensorScope.open()) {
            float[] huge = {1e4f, -1e4f, 1e4f - 1, 3};
            float[] p1 = F.softmax(Tensor.of(be, huge, 1, 4), null, 0f).toFloatArray();
            float[] p0 = F.softmax(Tensor.of(be, huge, 1, 4)).toFloatArray();
            for (float v : p1) assertThat(v).isFinite();
            // With logits of 1e4 the "1" is negligible: softmax1 equals softmax.
            assertThat(p1).containsExactly(p0, org.assertj.core.data.Offset.offset(1e-6f));
            float[] negative = {-1e4f, -2e4f, -3e4f, -5000f};
            float[] q1 = F.softmax(Tensor.of(be, negative, 1, 4), null, 0f).toFloatArray();
            float[] q0 = F.softmax(Tensor.of(be, negative, 1, 4)).toFloatArray();
            double mass1 = 0, mass0 = 0;
            for (int i = 0; i < 4; i++) {
                assertThat(q1[i]).isFinite();
                mass1 += q1[i];
                mass0 += q0[i];
            }
            assertThat(mass1).as("softmax1 mass of very negative logits").isLessThan(1e-30).isGreaterThanOrEqualTo(0);
            assertThat(mass0).as("softmax mass").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            // Rows whose every entry is masked (here: a window that excludes everything for early queries is
            // impossible, so mask with -inf directly) give zeros, not NaN, for both normalisers.
            float ninf = Float.NEGATIVE_INFINITY;
            float[] allMasked = {ninf, ninf, ninf};
            assertThat(F.softmax(Tensor.of(be, allMasked, 1, 3), null, 0f).toFloatArray()).containsOnly(0f);
            assertThat(F.softmax(Tensor.of(be, allMasked, 1, 3)).toFloatArray()).containsOnly(0f);
            // A causal mask over 2 cached keys: row masses stay below 1 with softmax1 and equal 1 without.
            Tensor scores = Tensor.of(be, new float[] {0.5f, -1, 2, 0.1f, 0.3f, -0.7f}, 2, 3);
            CausalMask mask = new CausalMask(2, 3, 1, 0);
            float[] m1 = F.softmax(scores, mask, 0f).sum(-1, false).toFloatArray();
            float[] m0 = F.softmax(scores, mask, Float.NEGATIVE_INFINITY).sum(-1, false).toFloatArray();
            for (float v : m1) assertThat(v).isLessThan(1f);
            assertThat(m0).containsExactly(new float[] {1f, 1f}, org.assertj.core.data.Offset.offset(1e-6f));
        }
    }
}
