package dev.nanolab.tokenizers.huggingface.decoder;

import java.util.List;

/**
 * A HuggingFace decoder: rewrites the list of token strings ({@code decode_chain}); the decoded text is the final
 * list joined. Some decoders work per token (Replace, Strip, WordPiece, Metaspace), others across tokens
 * (ByteFallback, Fuse), so the order of a Sequence matters exactly as in HuggingFace.
 */
@FunctionalInterface
public interface Decoder {
    List<String> decodeChain(List<String> tokens);
}
