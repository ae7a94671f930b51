package dev.nanolab.probes;

import dev.nanolab.api.nn.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Dotted module paths chosen by globs: {@code *} matches within one path segment, {@code **} across segments.
 * {@code *.h.*} matches {@code transformer.h.0}, {@code transformer.h.11}; {@code **.mlp} every MLP.
 */
public final class ModulePattern {
    /** The residual stream after each block, and each block's attention and MLP outputs (nanoGPT's names). */
    public static final List<String> BLOCK_OUTPUTS = List.of("*.h.*", "*.h.*.attn", "*.h.*.mlp");
    /** Each MLP's hidden pre-activation (nanoGPT's c_fc, before the GELU). */
    public static final List<String> MLP_HIDDEN = List.of("*.h.*.mlp.c_fc");

    private final List<String> globs;
    private final List<Pattern> patterns = new ArrayList<>();

    public ModulePattern(List<String> globs) {
        this.globs = List.copyOf(globs);
        for (String g : globs) patterns.add(Pattern.compile(regex(g)));
    }

    static String regex(String glob) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    sb.append(".*");
                    i++;
                } else {
                    sb.append("[^.]*");
                }
            } else {
                sb.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return sb.toString();
    }

    public boolean matches(String path) {
        for (Pattern p : patterns) if (p.matcher(path).matches()) return true;
        return false;
    }

    /**
     * The model's modules that match, by path, in model order.
     *
     * @throws IllegalArgumentException naming the globs and some of the model's paths when nothing matches
     */
    public Map<String, Layer> select(Layer model, String probe) {
        Map<String, Layer> out = new LinkedHashMap<>();
        Map<String, Layer> all = model.namedLayers();
        for (var e : all.entrySet()) if (!e.getKey().isEmpty() && matches(e.getKey())) out.put(e.getKey(), e.getValue());
        if (out.isEmpty()) {
            List<String> some = all.keySet().stream().filter(k -> !k.isEmpty()).limit(12).toList();
            throw new IllegalArgumentException("probe " + probe + ": modules " + globs + " match no module of this model (its modules: "
                    + String.join(", ", some) + (all.size() > 13 ? ", ..." : "") + "); set the probe's 'modules' option");
        }
        return out;
    }

    @Override
    public String toString() {
        return globs.toString();
    }
}
