package dev.nanolab.tokenizers.huggingface.model;

import dev.nanolab.tokenizers.huggingface.pipeline.HfNode;
import java.util.HashMap;
import java.util.Map;

/** A {@code vocab} object of token to id (WordPiece, BPE), checked: ids are non-negative and distinct. */
final class Vocabulary {
    private final Map<String, Integer> ids = new HashMap<>();
    private final String[] tokens;

    Vocabulary(HfNode vocab) {
        if (!vocab.json().isObject()) throw vocab.invalid("must be an object of token -> id");
        int size = 0;
        for (var e : vocab.json().properties()) {
            int id = vocab.at(e.getKey()).integer(-1);
            if (id < 0) throw vocab.at(e.getKey()).invalid("is not a token id");
            ids.put(e.getKey(), id);
            size = Math.max(size, id + 1);
        }
        // WordPiece and BPE vocabularies number their tokens 0..n−1; added tokens may follow, a few past the end.
        if (size > 2 * ids.size() + 1024)
            throw vocab.invalid("has an id of " + (size - 1) + " for " + ids.size() + " tokens (ids must run from 0 without large gaps)");
        tokens = new String[size];
        for (var e : ids.entrySet()) {
            if (tokens[e.getValue()] != null)
                throw vocab.invalid("gives id " + e.getValue() + " to both '" + tokens[e.getValue()] + "' and '" + e.getKey() + "'");
            tokens[e.getValue()] = e.getKey();
        }
    }

    /** The id of a token, or -1. */
    int id(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    String token(int id) {
        return id >= 0 && id < tokens.length ? tokens[id] : null;
    }

    int size() {
        return tokens.length;
    }
}
