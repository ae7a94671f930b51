package dev.nanolab.probes;

import dev.nanolab.api.attention.AttentionInputs;
import dev.nanolab.api.attention.AttentionLayer;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.nn.Linear;
import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.api.probe.Observation;
import dev.nanolab.api.probe.Probe;
import dev.nanolab.api.probe.ProbeContext;
import dev.nanolab.api.probe.ProbeMetrics;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code attention-mass}: how much attention each query row hands out. For every {@link AttentionLayer} of the model
 * (one per block; a layer nested in another, such as a gated layer's inner one, is measured through the outer), the
 * weights (B, H, Tq, Tk) are materialised with {@link AttentionLayer#probabilities} on the val batches, and per row
 * the mass Σ_k p[q, k] is taken: 1 for softmax, below 1 for softmax1 ("quiet attention"), where a head may attend to
 * nothing.
 *
 * <p>Metrics, for layer path L and head h:
 * <ul>
 *   <li>{@code attn_mass_mean/L[h]} and {@code attn_mass_mean/L}: mean row mass;</li>
 *   <li>{@code attn_mass_hist/L[h]} and {@code attn_mass_hist/L}: histograms of row mass, per head and over all heads,
 *   {@code bins} bins on [0, 1] (a row of mass 1 counts in the last bin);</li>
 *   <li>{@code attn_first_token_fraction/L[h]} and {@code .../L}: Σ p[q, 0] / Σ_k p[q, k] over rows q ≥ 1: the
 *   share of the mass on the first token, the attention sink (row 0 is left out: it can only see token 0).</li>
 * </ul>
 *
 * <p>The layer's inputs are recovered from the packed q, k, v projection that feeds it: the output of a
 * {@link Linear} beside it (same parent module) whose width is three times the layer's. A layer fed otherwise is
 * counted in {@code attn_layers_unmeasured}.
 */
public final class AttentionMassProbe implements Probe {
    public record Config(@Doc("histogram bins of row mass on [0, 1]") @Range(min = 1, max = 1000) int bins) {
        public Config() {
            this(20);
        }
    }

    /** Sums for one layer. */
    private static final class Mass {
        double[] mass, first, rest;
        long[] rows;
        long[] hist;
        long[][] headHist;
        boolean measured;
    }

    private final Config config;

    public AttentionMassProbe(Config config) {
        this.config = config;
    }

    @Override
    public Observation observe(ProbeContext context) {
        Map<String, Layer> all = context.model().namedLayers();
        Map<String, AttentionLayer> layers = new LinkedHashMap<>();
        for (var e : all.entrySet()) {
            if (!(e.getValue() instanceof AttentionLayer a)) continue;
            boolean nested = layers.keySet().stream().anyMatch(p -> e.getKey().startsWith(p + "."));
            if (!nested) layers.put(e.getKey(), a);
        }
        if (layers.isEmpty()) throw new IllegalArgumentException("probe attention-mass: the model has no attention layers");
        Map<String, Mass> sums = new LinkedHashMap<>();
        Hooks hooks = new Hooks();
        for (var e : layers.entrySet()) {
            String path = e.getKey();
            String parent = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            Mass m = new Mass();
            m.hist = new long[config.bins()];
            sums.put(path, m);
            // The latest output of each Linear beside the layer; the packed projection is the one 3x as wide.
            List<Tensor[]> recent = new ArrayList<>();
            for (var s : all.entrySet()) {
                String p = s.getKey();
                boolean sibling = p.startsWith(parent.isEmpty() ? "" : parent + ".") && !p.equals(path)
                        && p.substring(parent.isEmpty() ? 0 : parent.length() + 1).indexOf('.') < 0 && !p.isEmpty();
                if (sibling && s.getValue() instanceof Linear lin) {
                    Tensor[] slot = new Tensor[1];
                    recent.add(slot);
                    hooks.add(lin.addForwardHook((mod, out) -> slot[0] = out));
                }
            }
            AttentionLayer layer = e.getValue();
            hooks.add(layer.addForwardHook((mod, out) -> {
                int c = out.dim(-1);
                Tensor qkv = null;
                for (Tensor[] slot : recent)
                    if (slot[0] != null && !slot[0].isReleased() && slot[0].rank() == 3 && slot[0].dim(-1) == 3 * c
                            && slot[0].dim(0) == out.dim(0) && slot[0].dim(1) == out.dim(1)) qkv = slot[0];
                for (Tensor[] slot : recent) slot[0] = null;
                if (qkv == null) return;
                accumulate(m, layer.probabilities(AttentionInputs.packed(null, qkv)));
            }));
        }
        return new Observation() {
            @Override
            public void report(ProbeMetrics out) {
                int unmeasured = 0;
                for (var e : sums.entrySet()) {
                    Mass m = e.getValue();
                    String l = e.getKey();
                    if (!m.measured) {
                        unmeasured++;
                        continue;
                    }
                    double mass = 0, first = 0, rest = 0;
                    long rows = 0;
                    for (int h = 0; h < m.mass.length; h++) {
                        out.scalar("attn_mass_mean/" + l + "[" + h + "]", m.mass[h] / m.rows[h]);
                        mass += m.mass[h];
                        rows += m.rows[h];
                    }
                    out.scalar("attn_mass_mean/" + l, mass / rows);
                    for (int h = 0; h < m.mass.length; h++) {
                        out.scalar("attn_first_token_fraction/" + l + "[" + h + "]", m.first[h] / m.rest[h]);
                        first += m.first[h];
                        rest += m.rest[h];
                    }
                    out.scalar("attn_first_token_fraction/" + l, first / rest);
                    double[] edges = new double[config.bins() + 1];
                    for (int i = 0; i <= config.bins(); i++) edges[i] = (double) i / config.bins();
                    for (int h = 0; h < m.headHist.length; h++) out.histogram("attn_mass_hist/" + l + "[" + h + "]", new Histogram(edges, m.headHist[h]));
                    out.histogram("attn_mass_hist/" + l, new Histogram(edges, m.hist));
                }
                out.scalar("attn_layers_unmeasured", unmeasured);
            }

            @Override
            public void close() {
                hooks.close();
            }
        };
    }

    /** Adds the rows of weights p (B, H, Tq, Tk). */
    private void accumulate(Mass m, Tensor p) {
        int b = p.dim(0), h = p.dim(1), tq = p.dim(2), tk = p.dim(3);
        float[] w = p.toFloatArray();
        if (m.mass == null) {
            m.mass = new double[h];
            m.first = new double[h];
            m.rest = new double[h];
            m.rows = new long[h];
            m.headHist = new long[h][config.bins()];
        }
        m.measured = true;
        int bins = config.bins();
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                for (int q = 0; q < tq; q++) {
                    int row = ((bi * h + hi) * tq + q) * tk;
                    double s = 0;
                    for (int k = 0; k < tk; k++) s += w[row + k];
                    m.mass[hi] += s;
                    m.rows[hi]++;
                    int bin = Math.max(0, Math.min(bins - 1, (int) Math.floor(s * bins)));
                    m.hist[bin]++;
                    m.headHist[hi][bin]++;
                    if (q + (tk - tq) >= 1) { // the query's absolute position; position 0 sees only token 0
                        m.first[hi] += w[row];
                        m.rest[hi] += s;
                    }
                }
            }
        }
    }
}
