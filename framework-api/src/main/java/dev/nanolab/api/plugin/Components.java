package dev.nanolab.api.plugin;

import com.google.inject.Binder;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.util.Types;
import java.util.Set;

/**
 * The Guice keys components are bound under: one set of {@link ComponentSpec}s per {@link ComponentKind}, typed
 * {@code Set<ComponentSpec<?, T>>}, which a plugin's {@code @ProvidesIntoSet} methods add to, and the set of kinds.
 */
public final class Components {
    private Components() {}

    /**
     * Declares a kind, so that it is listed, configs can reference it, and the set of its components exists even
     * when no plugin contributes one. {@link ComponentsModule} declares the built-in kinds; a plugin that adds a kind
     * calls this from its {@code configure()}.
     */
    public static <T> Multibinder<ComponentSpec<?, T>> declare(Binder binder, ComponentKind<T> kind) {
        Multibinder.newSetBinder(binder, new TypeLiteral<ComponentKind<?>>() {}).permitDuplicates()
                .addBinding().toInstance(kind);
        return Multibinder.newSetBinder(binder, specType(kind));
    }

    /** {@code ComponentSpec<?, T>}: the element type of a kind's set, and the return type of its provider methods. */
    @SuppressWarnings("unchecked")
    public static <T> TypeLiteral<ComponentSpec<?, T>> specType(ComponentKind<T> kind) {
        return (TypeLiteral<ComponentSpec<?, T>>) TypeLiteral.get(
                Types.newParameterizedType(ComponentSpec.class, Types.subtypeOf(Object.class), kind.type()));
    }

    /** {@code Set<ComponentSpec<?, T>>}: every component of a kind. */
    @SuppressWarnings("unchecked")
    public static <T> Key<Set<ComponentSpec<?, T>>> setKey(ComponentKind<T> kind) {
        return (Key<Set<ComponentSpec<?, T>>>) Key.get(Types.setOf(specType(kind).getType()));
    }
}
