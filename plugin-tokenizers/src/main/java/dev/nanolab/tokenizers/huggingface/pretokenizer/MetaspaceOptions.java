package dev.nanolab.tokenizers.huggingface.pretokenizer;

import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.util.Set;

/**
 * The settings of a {@code Metaspace} pre-tokenizer or decoder, as HuggingFace reads them: {@code replacement},
 * {@code prepend_scheme} ({@code always} when absent), {@code split} (true when absent), and from older files
 * {@code add_prefix_space} ({@code false} means {@code prepend_scheme: never}) and {@code str_rep} (ignored).
 */
public record MetaspaceOptions(int replacement, Metaspace.PrependScheme scheme, boolean split) {
    public static MetaspaceOptions read(HfNode node) {
        node.onlyKeys(Set.of("type", "replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep"));
        HfNode schemeNode = node.at("prepend_scheme");
        Metaspace.PrependScheme scheme = switch (schemeNode.text("always")) {
            case "always" -> Metaspace.PrependScheme.ALWAYS;
            case "first" -> Metaspace.PrependScheme.FIRST;
            case "never" -> Metaspace.PrependScheme.NEVER;
            default -> throw schemeNode.unsupported("one of always, first, never");
        };
        if (!node.at("add_prefix_space").bool(true)) scheme = Metaspace.PrependScheme.NEVER;
        int replacement = node.at("replacement").character(-1);
        if (replacement < 0) throw node.at("replacement").invalid("is missing");
        return new MetaspaceOptions(replacement, scheme, node.at("split").bool(true));
    }

    /** Whether a ▁ is put before the text: the Metaspace decoder then drops the ▁s of the first token. */
    public boolean prepends() {
        return scheme != Metaspace.PrependScheme.NEVER;
    }
}
