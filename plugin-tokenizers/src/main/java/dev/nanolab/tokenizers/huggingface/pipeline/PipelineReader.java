package dev.nanolab.tokenizers.huggingface.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.tokenizers.codec.StateWriter;
import dev.nanolab.tokenizers.huggingface.decoder.DecoderReader;
import dev.nanolab.tokenizers.huggingface.model.ModelReader;
import dev.nanolab.tokenizers.huggingface.normalizer.NormalizerReader;
import dev.nanolab.tokenizers.huggingface.pretokenizer.PreTokenizerReader;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads a tokenizer.json that is not byte-level BPE (WordPiece, BPE over characters, Unigram) into a
 * {@link PipelineTokenizer}, each part by its own reader. Anything not understood is refused with one line naming
 * the file, the JSON path and the value. Ignored, as for byte-level files: {@code post_processor} (templates that
 * add [CLS]/BOS), {@code truncation}, {@code padding}, and the {@code single_word}/{@code lstrip}/{@code rstrip}/
 * {@code normalized} options of added tokens.
 *
 * <p>The state ({@value #FORMAT}) is the tokenizer.json cut to what encoding and decoding use, with {@code format}
 * and {@code version} fields in front: it is itself a tokenizer.json this reader accepts.
 */
public final class PipelineReader {
    public static final String FORMAT = "nanolab-hf";
    private static final Set<String> ADDED_TOKEN_KEYS =
            Set.of("id", "content", "single_word", "lstrip", "rstrip", "normalized", "special");

    private PipelineReader() {}

    public static PipelineTokenizer read(String name, HfNode root) {
        Map<String, Integer> added = new LinkedHashMap<>();
        Set<Integer> special = new HashSet<>();
        HfNode addedTokens = root.at("added_tokens");
        if (!addedTokens.isAbsent()) {
            for (HfNode token : addedTokens.elements()) {
                token.onlyKeys(ADDED_TOKEN_KEYS);
                int id = token.at("id").integer(-1);
                if (id < 0) throw token.at("id").invalid("is missing");
                added.put(token.at("content").text(), id);
                if (token.at("special").bool(false)) special.add(id);
            }
        }
        return new PipelineTokenizer(name,
                NormalizerReader.read(root.at("normalizer")),
                PreTokenizerReader.read(root.at("pre_tokenizer")),
                ModelReader.read(root.at("model"), special::contains),
                DecoderReader.read(root.at("decoder")),
                added, state(root));
    }

    private static byte[] state(HfNode root) {
        ObjectNode state = StateWriter.start(FORMAT, 1);
        for (String key : new String[] {"added_tokens", "normalizer", "pre_tokenizer", "model", "decoder"})
            if (!root.at(key).isAbsent()) state.set(key, root.at(key).json());
        return StateWriter.write(state);
    }
}
