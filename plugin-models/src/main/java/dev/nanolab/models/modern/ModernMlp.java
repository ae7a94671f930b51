package dev.nanolab.models.modern;

import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.tensor.Tensor;
import java.util.List;

/**
 * The block's MLP: C → hidden, GELU or relu² (c_fc), hidden → C (c_proj); or SwiGLU, where c_fc makes a gate and a
 * value of the hidden width each and the hidden activation is silu(gate)·value.
 */
final class ModernMlp extends Layer {
    private final ModernGptConfig.MlpKind kind;
    private final int hidden;
    private final Linear cFc;
    private final Linear cProj;
    private final Dropout dropout;

    ModernMlp(Parts p) {
        ModernGptConfig c = p.config();
        kind = c.mlp();
        hidden = c.hiddenWidth();
        int fc = kind == ModernGptConfig.MlpKind.SWIGLU ? 2 * hidden : hidden;
        cFc = child("c_fc", new Linear(p.backend(), c.nEmbd(), fc, c.bias(), p.linear(c.nEmbd())));
        cProj = child("c_proj", new Linear(p.backend(), hidden, c.nEmbd(), c.bias(), p.projection(hidden)));
        dropout = child("dropout", new Dropout(c.dropout(), p.dropoutRng()));
    }

    Tensor forward(Tensor x) {
        Tensor h = cFc.forward(x);
        h = switch (kind) {
            case GELU -> F.gelu(h);
            case RELU2 -> F.reluSquared(h);
            case SWIGLU -> {
                List<Tensor> gv = h.split(-1, hidden, hidden);
                Tensor gate = gv.get(0);
                yield gate.mul(gate.sigmoid()).mul(gv.get(1));
            }
        };
        return emit(dropout.forward(cProj.forward(h)));
    }

    /** The hidden activations' module, for probes that count dead units. */
    Linear hidden() {
        return cFc;
    }
}
