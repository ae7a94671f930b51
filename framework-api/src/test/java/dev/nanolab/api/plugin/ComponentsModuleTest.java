package dev.nanolab.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Provider;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.config.NoOptions;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ComponentsModuleTest {
    /** A kind a plugin adds: components of it are plain suppliers of a greeting. */
    public interface Greeter extends Supplier<String> {}

    static final ComponentKind<Greeter> GREETER = new ComponentKind<>("greeter", Greeter.class, "greeters");

    /** Declares the kind and contributes one greeter. */
    public static final class GreeterKindPlugin extends AbstractModule implements Plugin {
        public String version() { return "1"; }
        public String apiVersion() { return NanolabApi.VERSION; }

        @Override
        protected void configure() {
            Components.declare(binder(), GREETER);
        }

        @ProvidesIntoSet
        public ComponentSpec<?, Greeter> hello() {
            return ComponentSpec.of(GREETER, "hello", "says hello", NoOptions.class, c -> () -> "hello");
        }
    }

    /** Contributes to a kind another plugin declared, and is built with the registry injected. */
    public static final class EchoPlugin extends AbstractModule implements Plugin {
        public String version() { return "1"; }
        public String apiVersion() { return NanolabApi.VERSION; }

        @ProvidesIntoSet
        public ComponentSpec<?, Greeter> echo(Provider<ComponentRegistry> registry) {
            return ComponentSpec.of(GREETER, "echo", "repeats hello twice", NoOptions.class,
                    c -> () -> registry.get().createDefault(GREETER, "hello").get().repeat(2));
        }
    }

    @Test
    void aPluginCanAddAKindThatOtherPluginsContributeToAndComponentsAreBuiltByInjection() {
        ComponentRegistry registry = ComponentRegistry.of(new GreeterKindPlugin(), new EchoPlugin());
        assertThat(registry.kinds()).containsAll(ComponentKind.builtIn()).contains(GREETER);
        assertThat(registry.kindOf(Greeter.class)).contains(GREETER);
        assertThat(registry.specs(GREETER)).extracting(ComponentSpec::name).containsExactly("echo", "hello");
        assertThat(registry.createDefault(GREETER, "echo").get()).isEqualTo("hellohello");
        assertThat(registry.specs(ComponentKind.ATTENTION)).isEmpty();
    }

    @Test
    void aComponentOfAnUndeclaredKindIsAOneLineError() {
        assertThatThrownBy(() -> ComponentRegistry.of(new EchoPlugin())).isInstanceOf(CreationException.class)
                .hasMessageContaining("greeter 'echo' is of a kind no loaded module declares");
        assertThatThrownBy(() -> ComponentRegistry.of(List.of(ComponentKind.ATTENTION),
                List.of(new EchoPlugin().echo(() -> null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kind 'greeter'")
                .hasMessageContaining("no module declares");
    }

    @Test
    void twoKindsWithOneIdAreRefused() {
        ComponentKind<Runnable> clash = new ComponentKind<>("attention", Runnable.class, "runnables");
        assertThatThrownBy(() -> ComponentRegistry.of(List.of(ComponentKind.ATTENTION, clash), List.of()))
                .hasMessageContaining("'attention'").hasMessageContaining("clash");
    }

    @Test
    void aNameTwiceInAKindIsRefused() {
        ComponentSpec<?, Greeter> a = new GreeterKindPlugin().hello();
        assertThatThrownBy(() -> ComponentRegistry.of(List.of(GREETER), List.of(a, new GreeterKindPlugin().hello())))
                .hasMessageContaining("duplicate greeter 'hello'");
    }
}
