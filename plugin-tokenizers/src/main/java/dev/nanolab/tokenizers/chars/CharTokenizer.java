package dev.nanolab.tokenizers.chars;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.tokenizers.chars.CharConfig.Unit;
import dev.nanolab.tokenizers.chars.CharConfig.Unknown;
import dev.nanolab.tokenizers.codec.StateReader;
import dev.nanolab.tokenizers.codec.StateWriter;
import dev.nanolab.tokenizers.codec.TokenIds;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code char} tokenizer: token id {@code i} is the {@code i}-th smallest character of the vocabulary, which
 * is what nanoGPT's {@code stoi = {ch: i for i, ch in enumerate(sorted(set(text)))}} gives. With
 * {@link Unknown#UNK} the unknown token takes the next id, {@code vocabSize() - 1}, and decodes to its text.
 *
 * <p>A character is a UTF-16 unit or a code point ({@link Unit}). In {@code CHAR} mode lone surrogates are ordinary
 * units, so any string of seen units round-trips exactly; in {@code CODE_POINT} mode a lone surrogate is its own
 * code point, so the same holds.
 *
 * <h2>State</h2>
 * UTF-8 JSON:
 * <pre>{@code
 * {
 *   "format": "nanolab-char",
 *   "version": 1,
 *   "unit": "CHAR",                 // or "CODE_POINT"
 *   "symbols": [10, 32, 33, ...],   // the vocabulary as UTF-16 units or code points, strictly increasing
 *   "unknown": "UNK",               // or "ERROR"
 *   "unk_token": "<unk>"            // only with "UNK"
 * }
 * }</pre>
 * Symbols are numbers rather than a string so that surrogates survive JSON.
 */
public final class CharTokenizer implements Tokenizer {
    public static final String NAME = "char";
    static final String FORMAT = "nanolab-char";
    static final int VERSION = 1;
    private static final int NONE = -1;

    private final Unit unit;
    private final int[] symbols;
    private final Unknown unknown;
    private final String unkToken;
    private final int unkId;
    /** Id of each UTF-16 value / BMP code point, NONE if not in the vocabulary. */
    private final int[] bmpIds = new int[0x10000];
    /** Ids of code points above the BMP ({@code CODE_POINT} mode only). */
    private final Map<Integer, Integer> supplementaryIds = new HashMap<>();

    /**
     * @param symbols  the vocabulary, strictly increasing
     * @param unkToken the unknown token's text, used only with {@link Unknown#UNK}
     */
    CharTokenizer(Unit unit, int[] symbols, Unknown unknown, String unkToken) {
        this.unit = unit;
        this.symbols = symbols.clone();
        this.unknown = unknown;
        this.unkToken = unknown == Unknown.UNK ? unkToken : null;
        this.unkId = unknown == Unknown.UNK ? symbols.length : NONE;
        Arrays.fill(bmpIds, NONE);
        for (int id = 0; id < symbols.length; id++) {
            if (symbols[id] < 0x10000) bmpIds[symbols[id]] = id;
            else supplementaryIds.put(symbols[id], id);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int vocabSize() {
        return symbols.length + (unkId == NONE ? 0 : 1);
    }

    /** The vocabulary's characters (UTF-16 units or code points), in id order; the unknown token is not included. */
    public int[] symbols() {
        return symbols.clone();
    }

    @Override
    public int[] encode(String text) {
        if (unit == Unit.CHAR) {
            int[] ids = new int[text.length()];
            for (int i = 0; i < ids.length; i++) {
                int id = bmpIds[text.charAt(i)];
                ids[i] = id != NONE ? id : unknown(text.charAt(i), i);
            }
            return ids;
        }
        int[] ids = new int[text.codePointCount(0, text.length())];
        for (int i = 0, k = 0; i < text.length(); k++) {
            int cp = text.codePointAt(i);
            int id = cp < 0x10000 ? bmpIds[cp] : supplementaryIds.getOrDefault(cp, NONE);
            ids[k] = id != NONE ? id : unknown(cp, i);
            i += Character.charCount(cp);
        }
        return ids;
    }

    private int unknown(int symbol, int index) {
        if (unkId != NONE) return unkId;
        throw new IllegalArgumentException(NAME + ": character " + describe(symbol) + " at index " + index
                + " is not in the vocabulary of " + symbols.length + " characters");
    }

    /** U+XXXX, with the character itself where printing it cannot break the message. */
    static String describe(int symbol) {
        String code = String.format(Locale.ROOT, "U+%04X", symbol);
        if (Character.isSurrogate((char) symbol) && symbol < 0x10000) return code + " (a surrogate)";
        int type = Character.getType(symbol);
        boolean invisible = Character.isISOControl(symbol) || Character.isWhitespace(symbol)
                || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
        return invisible ? code : code + " '" + Character.toString(symbol) + "'";
    }

    @Override
    public String decode(int[] tokens, int from, int to) {
        TokenIds.requireInRange(NAME, tokens, from, to, vocabSize());
        if (unit == Unit.CHAR && unkId == NONE) {
            char[] chars = new char[to - from];
            for (int i = from; i < to; i++) chars[i - from] = (char) symbols[tokens[i]];
            return new String(chars);
        }
        StringBuilder out = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            int id = tokens[i];
            if (id == unkId) out.append(unkToken);
            else if (unit == Unit.CHAR) out.append((char) symbols[id]);
            else out.appendCodePoint(symbols[id]);
        }
        return out.toString();
    }

    @Override
    public byte[] state() {
        ObjectNode root = StateWriter.start(FORMAT, VERSION);
        root.put("unit", unit.name());
        ArrayNode array = root.putArray("symbols");
        for (int s : symbols) array.add(s);
        root.put("unknown", unknown.name());
        if (unknown == Unknown.UNK) root.put("unk_token", unkToken);
        return StateWriter.write(root);
    }

    /** Rebuilds a tokenizer from {@link #state()}. */
    static CharTokenizer fromState(byte[] state) {
        StateReader in = StateReader.open(state, FORMAT, VERSION);
        Unit unit = constant(in, "unit", Unit.class);
        Unknown unknown = constant(in, "unknown", Unknown.class);
        int max = unit == Unit.CHAR ? 0xFFFF : Character.MAX_CODE_POINT;
        ArrayNode array = in.array("symbols");
        int[] symbols = new int[array.size()];
        for (int i = 0; i < symbols.length; i++) {
            JsonNode n = array.get(i);
            symbols[i] = in.integer(n, "symbols[" + i + "]");
            if (symbols[i] < 0 || symbols[i] > max)
                throw in.invalid("symbols[" + i + "] = " + symbols[i] + " is not a " + unit.name().toLowerCase(Locale.ROOT));
            if (i > 0 && symbols[i] <= symbols[i - 1])
                throw in.invalid("symbols must be strictly increasing, but symbols[" + i + "] = " + symbols[i]
                        + " follows " + symbols[i - 1]);
        }
        String unkToken = null;
        if (unknown == Unknown.UNK) {
            unkToken = in.text("unk_token");
            if (unkToken.isEmpty()) throw in.invalid("'unk_token' is empty");
        }
        return new CharTokenizer(unit, symbols, unknown, unkToken);
    }

    private static <E extends Enum<E>> E constant(StateReader in, String field, Class<E> type) {
        String value = in.text(field);
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw in.invalid("'" + field + "' is '" + value + "', not one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}
