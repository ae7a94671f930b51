package dev.nanolab.models.gpt;

import dev.nanolab.api.nn.Dropout;
import dev.nanolab.api.nn.F;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;

/** The block's MLP: C → 4C, GELU, 4C → C, dropout. */
final class Mlp extends Layer {
    private final Linear cFc;
    private final Linear cProj;
    private final Dropout dropout;

    Mlp(Gpt.Parts p) {
        int c = p.config().nEmbd();
        cFc = child("c_fc", new Linear(p.backend(), c, 4 * c, p.config().bias(), p.init()));
        cProj = child("c_proj", new Linear(p.backend(), 4 * c, c, p.config().bias(), p.residualInit()));
        dropout = child("dropout", new Dropout(p.config().dropout(), p.dropoutRng()));
    }

    Tensor forward(Tensor x) {
        return emit(dropout.forward(cProj.forward(F.gelu(cFc.forward(x)))));
    }

    /** The hidden activations' module, for probes that count dead units. */
    Linear hidden() {
        return cFc;
    }
}
