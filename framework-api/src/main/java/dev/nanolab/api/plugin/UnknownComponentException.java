package dev.nanolab.api.plugin;

import java.util.List;

/** A config or command named a component that no loaded plugin registers. */
public final class UnknownComponentException extends IllegalArgumentException {
    private final ComponentKind<?> kind;
    private final String name;

    public UnknownComponentException(ComponentKind<?> kind, String name, List<String> known, List<String> closest) {
        super("unknown " + kind.id() + " '" + name + "'"
                + (closest.isEmpty() ? "" : "; did you mean " + String.join(" or ", closest.stream().map(s -> "'" + s + "'").toList()) + "?")
                + (known.isEmpty() ? " (no " + kind.title() + " are loaded)" : " (known: " + String.join(", ", known) + ")"));
        this.kind = kind;
        this.name = name;
    }

    public ComponentKind<?> kind() {
        return kind;
    }

    public String name() {
        return name;
    }
}
