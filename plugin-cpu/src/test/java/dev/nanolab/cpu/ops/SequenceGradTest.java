package dev.nanolab.cpu.ops;

import dev.nanolab.api.nn.F;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dilated causal convolution and the LSTM cell. */
class SequenceGradTest {
    @Test
    void dilatedCausalConvolution() {
        GradCheck gc = new GradCheck(51);
        int B = 2, T = 9, cin = 5, cout = 7, K = 2;
        for (int dilation : new int[] {1, 2, 4}) {
            double[] x = gc.randn(B * T * cin, 1), w = gc.randn(cout * cin * K, 0.5), b = gc.randn(cout, 1);
            int dil = dilation;
            gc.check("conv d=" + dil, List.of(GradCheck.Input.of(x, B, T, cin), GradCheck.Input.of(w, cout, cin, K), GradCheck.Input.of(b, cout)),
                    xs -> F.causalConv1d(xs.get(0), xs.get(1), xs.get(2), dil), r -> Ref.conv1d(r.get(0), r.get(1), r.get(2), B, T, cin, cout, K, dil));
        }
        double[] x = gc.randn(1 * 6 * 3, 1), w = gc.randn(4 * 3 * 3, 0.5);
        gc.check("conv K=3 no bias", List.of(GradCheck.Input.of(x, 1, 6, 3), GradCheck.Input.of(w, 4, 3, 3)),
                xs -> F.causalConv1d(xs.get(0), xs.get(1), null, 2), r -> Ref.conv1d(r.get(0), r.get(1), null, 1, 6, 3, 4, 3, 2));
    }

    @Test
    void lstmCellBothOutputs() {
        GradCheck gc = new GradCheck(52);
        int B = 3, H = 7;
        double[] gates = gc.randn(B * 4 * H, 1.5), c = gc.randn(B * H, 1);
        // h and c concatenated, so both outputs carry a gradient at once.
        gc.check("lstm", List.of(GradCheck.Input.of(gates, B, 4 * H), GradCheck.Input.of(c, B, H)), xs -> {
            F.LstmState s = F.lstmCell(xs.get(0), xs.get(1));
            return dev.nanolab.api.tensor.Tensor.concat(0, List.of(s.h(), s.c()));
        }, r -> Ref.lstm(r.get(0), r.get(1), B, H));
    }
}
