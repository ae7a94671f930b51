package dev.nanolab.launcher.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Set;

/**
 * YAML's {@code .nan}, {@code .inf} and {@code -.inf} are floats, but Jackson's YAML parser cannot convert them
 * ("Malformed numeric value '.inf'"). This parser hands them on as strings, which {@link ConfigBinder} reads as NaN and
 * infinities and then range-checks like any number.
 */
final class YamlSpecialFloats extends JsonParserDelegate {
    static final Set<String> SPECIAL = Set.of(".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
            "-.inf", "-.Inf", "-.INF");

    private boolean special;

    private YamlSpecialFloats(JsonParser d) {
        super(d);
    }

    /** Reads YAML text into a tree, keeping the special floats as strings. */
    static JsonNode readTree(ObjectMapper yaml, String text) throws IOException {
        try (JsonParser p = new YamlSpecialFloats(yaml.getFactory().createParser(text))) {
            return yaml.readTree(p);
        }
    }

    private JsonToken mark(JsonToken t) throws IOException {
        special = t == JsonToken.VALUE_NUMBER_FLOAT && SPECIAL.contains(delegate.getText());
        return special ? JsonToken.VALUE_STRING : t;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        return mark(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws IOException {
        return mark(delegate.nextValue());
    }

    @Override
    public String nextFieldName() throws IOException {
        special = false;
        return delegate.nextFieldName();
    }

    @Override
    public JsonToken currentToken() {
        return special ? JsonToken.VALUE_STRING : delegate.currentToken();
    }

    @Override
    @SuppressWarnings("deprecation")
    public JsonToken getCurrentToken() {
        return currentToken();
    }

    @Override
    public int currentTokenId() {
        return special ? JsonTokenId.ID_STRING : delegate.currentTokenId();
    }

    @Override
    @SuppressWarnings("deprecation")
    public int getCurrentTokenId() {
        return currentTokenId();
    }

    @Override
    public boolean hasToken(JsonToken t) {
        return special ? t == JsonToken.VALUE_STRING : delegate.hasToken(t);
    }

    @Override
    public boolean hasTokenId(int id) {
        return special ? id == JsonTokenId.ID_STRING : delegate.hasTokenId(id);
    }

    @Override
    public String getValueAsString() throws IOException {
        return special ? delegate.getText() : delegate.getValueAsString();
    }

    @Override
    public String getValueAsString(String def) throws IOException {
        return special ? delegate.getText() : delegate.getValueAsString(def);
    }
}
