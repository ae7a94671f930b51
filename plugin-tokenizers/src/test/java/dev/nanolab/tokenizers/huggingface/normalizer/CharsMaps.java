package dev.nanolab.tokenizers.huggingface.normalizer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a SentencePiece {@code precompiled_charsmap} for tests: a darts-clone double array over the UTF-8 of the
 * sources (a node at position p with offset o has its children at p ^ o ^ byte, each unit holding its byte as
 * label, and its value at p ^ o, with bit 31 set, when it ends a key; no two nodes share p ^ o), then the
 * NUL-terminated replacements the values point into.
 */
public final class CharsMaps {
    private CharsMaps() {}

    private static final class Node {
        final TreeMap<Integer, Node> children = new TreeMap<>();
        int value = -1;
    }

    public static String base64(Map<String, String> rules) {
        Node root = new Node();
        ByteArrayOutputStream replacements = new ByteArrayOutputStream();
        for (var rule : new TreeMap<>(rules).entrySet()) {
            Node node = root;
            for (byte b : rule.getKey().getBytes(StandardCharsets.UTF_8)) node = node.children.computeIfAbsent(b & 0xFF, k -> new Node());
            node.value = replacements.size();
            replacements.writeBytes(rule.getValue().getBytes(StandardCharsets.UTF_8));
            replacements.write(0);
        }
        int[] units = new int[1 << 14];
        boolean[] used = new boolean[units.length];
        used[0] = true;
        int size = place(root, 0, units, used, new HashSet<>()) + 1;
        ByteBuffer out = ByteBuffer.allocate(4 + 4 * size + replacements.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(4 * size);
        for (int unit : Arrays.copyOf(units, size)) out.putInt(unit);
        out.put(replacements.toByteArray());
        return Base64.getEncoder().encodeToString(out.array());
    }

    /** Places the children (and value) of the node at {@code pos}; returns the largest position used. */
    private static int place(Node node, int pos, int[] units, boolean[] used, Set<Integer> bases) {
        int offset = 1;
        while (!fits(node, pos ^ offset, used, bases)) offset++;
        int base = pos ^ offset;
        bases.add(base);
        units[pos] |= offset << 10 | (node.value >= 0 ? 1 << 8 : 0);
        int max = pos;
        if (node.value >= 0) {
            units[base] = node.value | 1 << 31;
            used[base] = true;
            max = Math.max(max, base);
        }
        for (int label : node.children.keySet()) {
            units[base ^ label] = label;
            used[base ^ label] = true;
        }
        for (var child : node.children.entrySet())
            max = Math.max(max, place(child.getValue(), base ^ child.getKey(), units, used, bases));
        return max;
    }

    private static boolean fits(Node node, int base, boolean[] used, Set<Integer> bases) {
        if (bases.contains(base) || base >= used.length - 256) return false;
        if (node.value >= 0 && used[base]) return false;
        for (int label : node.children.keySet()) if (used[base ^ label]) return false;
        return true;
    }
}
