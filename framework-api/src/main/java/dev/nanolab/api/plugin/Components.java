package dev.nanolab.api.plugin;

import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;

/**
 * How a plugin's Guice module registers components:
 *
 * <pre>{@code
 * public Module module() {
 *     return binder -> Components.register(binder, ComponentSpec.of(ComponentKind.ATTENTION, "my-attention",
 *             "softmax with a learned temperature", MyAttention.Config.class, MyAttention::new));
 * }
 * }</pre>
 *
 * All registrations of all plugins are collected into one set; the launcher checks that names are unique within
 * each kind and names both modules when they are not.
 */
public final class Components {
    /** The Guice key of the set every registration goes into. */
    public static final TypeLiteral<ComponentSpec<?, ?>> SPEC_TYPE = new TypeLiteral<>() {};

    private Components() {}

    public static void register(Binder binder, ComponentSpec<?, ?> spec) {
        Multibinder.newSetBinder(binder.withSource(spec.origin()), SPEC_TYPE).addBinding().toInstance(spec);
    }
}
