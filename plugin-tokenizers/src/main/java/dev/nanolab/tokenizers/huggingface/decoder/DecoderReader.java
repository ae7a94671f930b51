package dev.nanolab.tokenizers.huggingface.decoder;

import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import dev.nanolab.tokenizers.huggingface.pipeline.HfPattern;
import dev.nanolab.tokenizers.huggingface.pretokenizer.MetaspaceOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads the {@code decoder} of a tokenizer.json; absent or null joins the tokens with spaces, as HuggingFace does. */
public final class DecoderReader {
    public static final String SUPPORTED = "Sequence, Replace, ByteFallback, Fuse, Strip, WordPiece, Metaspace";

    private DecoderReader() {}

    public static Decoder read(HfNode node) {
        if (node.isAbsent()) return tokens -> List.of(String.join(" ", tokens));
        HfNode type = node.at("type");
        return switch (type.text()) {
            case "Sequence" -> {
                node.onlyKeys(Set.of("type", "decoders"));
                List<Decoder> steps = new ArrayList<>();
                for (HfNode step : node.at("decoders").elements()) steps.add(read(step));
                yield new SequenceDecoder(List.copyOf(steps));
            }
            case "Replace" -> {
                node.onlyKeys(Set.of("type", "pattern", "content"));
                yield new ReplaceDecoder(HfPattern.read(node.at("pattern")), node.at("content").text());
            }
            case "ByteFallback" -> {
                node.onlyKeys(Set.of("type"));
                yield new ByteFallbackDecoder();
            }
            case "Fuse" -> {
                node.onlyKeys(Set.of("type"));
                yield new FuseDecoder();
            }
            case "Strip" -> {
                node.onlyKeys(Set.of("type", "content", "start", "stop"));
                yield new StripDecoder(node.at("content").character(' '), node.at("start").integer(0), node.at("stop").integer(0));
            }
            case "WordPiece" -> {
                node.onlyKeys(Set.of("type", "prefix", "cleanup"));
                yield new WordPieceDecoder(node.at("prefix").text("##"), node.at("cleanup").bool(true));
            }
            case "Metaspace" -> {
                MetaspaceOptions options = MetaspaceOptions.read(node);
                yield new MetaspaceDecoder(options.replacement(), options.prepends());
            }
            default -> throw type.unsupported("supported decoders: " + SUPPORTED);
        };
    }
}
