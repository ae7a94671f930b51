package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.LogitSoftcap;
import dev.nanolab.api.backend.ext.LinearCrossEntropyKernels;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.cpu.CpuBackend;
import dev.nanolab.training.train.KernelProfile;
import org.junit.jupiter.api.Test;

/** `bench train --profile`'s kernel timing: core kernel groups and the optional kernel sets are both counted. */
class KernelProfileTest {
    @Test
    void timesCoreKernelsAndExtensionKernels() {
        KernelProfile profile = new KernelProfile();
        try (CpuBackend cpu = new CpuBackend(1, false); TensorScope scope = TensorScope.open()) {
            Backend be = profile.wrap(cpu);
            Tensor x = Tensor.of(be, new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
            Tensor w = Tensor.of(be, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, 4, 3);
            Tensor loss = F.crossEntropy(F.linear(x, w, null), Tensor.ofInts(be, new int[] {0, 3}, 2), -1,
                    new LogitSoftcap(LogitSoftcap.Kind.TANH, 30f));
            loss.backward();
            be.extension(LinearCrossEntropyKernels.class).orElseThrow().blockRows(3, 4);
        }
        assertThat(profile.lines()).extracting(KernelProfile.Line::kernel)
                .contains("gemm.matmul", "softcappedLoss.crossEntropy", "softcappedLoss.crossEntropyBackward");
        assertThat(profile.lines()).filteredOn(l -> l.kernel().equals("softcappedLoss.crossEntropy"))
                .singleElement().satisfies(l -> assertThat(l.calls()).isEqualTo(1));
        assertThat(profile.lines()).extracting(KernelProfile.Line::kernel).as("a query is not a kernel")
                .doesNotContain("linearCrossEntropy.blockRows");
    }
}
