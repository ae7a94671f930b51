package dev.nanolab.tokenizers.huggingface.model;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntBinaryOperator;

/** The tokens of a vocabulary in a trie of UTF-16 units, to find every token that starts at a position of a text. */
final class PrefixTrie {
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>(4);
        int id = -1;
    }

    private final Node root = new Node();

    void put(String token, int id) {
        Node node = root;
        for (int i = 0; i < token.length(); i++) node = node.children.computeIfAbsent(token.charAt(i), c -> new Node());
        node.id = id;
    }

    /**
     * Calls {@code found(id, end)} for each token that is a prefix of {@code text[start, ...)}, shortest first.
     */
    void prefixes(String text, int start, IntBinaryOperator found) {
        Node node = root;
        for (int i = start; i < text.length(); i++) {
            node = node.children.get(text.charAt(i));
            if (node == null) return;
            if (node.id >= 0) found.applyAsInt(node.id, i + 1);
        }
    }
}
