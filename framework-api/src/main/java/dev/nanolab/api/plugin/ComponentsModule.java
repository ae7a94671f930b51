package dev.nanolab.api.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The framework's own module, installed beside every plugin: declares the built-in kinds and binds the
 * {@link ComponentRegistry} built from every kind's set of components, so a component may {@code @Inject} it (a
 * gated attention creates its inner variant through it, Muon its fallback optimizer).
 */
public final class ComponentsModule extends AbstractModule {
    @Override
    protected void configure() {
        for (ComponentKind<?> kind : ComponentKind.builtIn()) Components.declare(binder(), kind);
    }

    /**
     * The registry: each declared kind's components. Reading the per-kind sets needs the injector because the kinds
     * are only known once every module is configured.
     *
     * @throws IllegalArgumentException naming both modules when two components of one kind share a name, or both
     *                                  kinds when two kinds share an id or a type
     */
    @Provides
    @Singleton
    public ComponentRegistry registry(Set<ComponentKind<?>> declared, Injector injector) {
        List<ComponentKind<?>> kinds = new ArrayList<>(ComponentKind.builtIn());
        for (ComponentKind<?> k : declared) if (!kinds.contains(k)) kinds.add(k);
        List<ComponentSpec<?, ?>> specs = new ArrayList<>();
        for (ComponentKind<?> k : kinds) specs.addAll(injector.getInstance(Components.setKey(k)));
        // A set of components whose kind no module declares (its plugin was left out, say) would go unread.
        for (Key<?> key : injector.getAllBindings().keySet())
            if (key.getTypeLiteral().getRawType() == Set.class && key.getTypeLiteral().getType() instanceof ParameterizedType set
                    && set.getActualTypeArguments()[0] instanceof ParameterizedType spec && spec.getRawType() == ComponentSpec.class
                    && kinds.stream().noneMatch(k -> k.type() == spec.getActualTypeArguments()[1]))
                for (Object orphan : (Set<?>) injector.getInstance(key))
                    throw new IllegalArgumentException(orphan + " is of a kind no loaded module declares (its component type "
                            + spec.getActualTypeArguments()[1].getTypeName() + "): load the plugin that declares it");
        return ComponentRegistry.of(kinds, specs);
    }
}
