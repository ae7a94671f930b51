package dev.nanolab.api.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Stage;
import com.google.inject.util.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Every component the loaded plugins contribute, by kind and name. Experiments and the training pipeline look
 * components up here; it is bound in the injector, so a plugin may also {@code @Inject} it.
 */
public interface ComponentRegistry {
    /** The components of one kind, sorted by name. */
    <T> List<ComponentSpec<?, T>> specs(ComponentKind<T> kind);

    /**
     * The component of that kind and name.
     *
     * @throws UnknownComponentException naming the kind, the name and the closest registered names
     */
    <T> ComponentSpec<?, T> spec(ComponentKind<T> kind, String name);

    /**
     * A registry over the given components.
     *
     * @throws IllegalArgumentException naming both modules when two components of one kind share a name
     */
    static ComponentRegistry of(Collection<? extends ComponentSpec<?, ?>> specs) {
        return new MapRegistry(new ArrayList<>(specs));
    }

    /**
     * The components of the given plugins, wired as the launcher wires them (one injector, in which the registry is
     * itself bound): for tests and programs that use plugins without the launcher.
     */
    @SuppressWarnings("unchecked")
    static ComponentRegistry of(Plugin... plugins) {
        ComponentRegistry[] holder = new ComponentRegistry[1];
        List<com.google.inject.Module> modules = new ArrayList<>();
        for (Plugin p : plugins) modules.add(p.module());
        modules.add(binder -> com.google.inject.multibindings.Multibinder.newSetBinder(binder, Components.SPEC_TYPE));
        modules.add(new AbstractModule() {
            @Override
            protected void configure() {
                bind(ComponentRegistry.class).toProvider(() -> holder[0]);
            }
        });
        Injector injector = Guice.createInjector(Stage.PRODUCTION, modules);
        Set<ComponentSpec<?, ?>> specs = (Set<ComponentSpec<?, ?>>) injector.getInstance(
                Key.get(Types.setOf(Components.SPEC_TYPE.getType())));
        holder[0] = of(specs);
        return holder[0];
    }

    /** Creates a component with its default config. */
    default <T> T createDefault(ComponentKind<T> kind, String name) {
        ComponentSpec<?, T> spec = spec(kind, name);
        Record defaults = spec.defaults();
        if (defaults == null)
            throw new IllegalArgumentException(spec + " has no defaults (" + spec.configType().getSimpleName()
                    + " has no public no-argument constructor): configure it");
        return spec.create(defaults);
    }
}
