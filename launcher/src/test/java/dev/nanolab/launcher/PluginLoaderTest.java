package dev.nanolab.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.launcher.plugins.LoadedPlugins;
import dev.nanolab.launcher.plugins.PluginLoadException;
import dev.nanolab.launcher.plugins.PluginLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading plugin layers, and every way a plugin folder can be wrong. */
class PluginLoaderTest {
    @TempDir
    Path dir;

    private LoadedPlugins load(Optional<Set<String>> modules) {
        return new PluginLoader().load(new PluginLoader.Options(List.of(dir), null, modules));
    }

    private Path plugin(String module, String pkg, String component) throws Exception {
        return PluginJars.build(dir, module, PluginJars.attentionPlugin(module, pkg, component, NanolabApi.VERSION, null), null);
    }

    @Test
    void aPluginJarLoadsAndItsComponentIsUsableByName() throws Exception {
        plugin("test.alpha", "test.alpha", "alpha-attention");
        LoadedPlugins loaded = load(Optional.empty());
        assertThat(loaded.plugins()).anySatisfy(p -> {
            assertThat(p.module()).isEqualTo("test.alpha");
            assertThat(p.version()).isEqualTo("1.2.3");
            assertThat(p.location()).isEqualTo(dir.resolve("test.alpha.jar"));
        });
        AttentionVariant v = loaded.registry().createDefault(ComponentKind.ATTENTION, "alpha-attention");
        assertThat(v).isNotNull();
        assertThat(loaded.layer().findModule("test.alpha")).isPresent();
    }

    @Test
    void modulesLeftOutOfTheListAreNotLoaded() throws Exception {
        plugin("test.alpha", "test.alpha", "alpha-attention");
        plugin("test.beta", "test.beta", "beta-attention");
        LoadedPlugins loaded = load(Optional.of(Set.of("test.beta")));
        assertThat(loaded.registry().specs(ComponentKind.ATTENTION)).extracting(s -> s.name()).containsExactly("beta-attention");
        assertThatThrownBy(() -> loaded.registry().spec(ComponentKind.ATTENTION, "alpha-attention"))
                .hasMessageContaining("unknown attention 'alpha-attention'");
    }

    @Test
    void duplicateComponentNamesNameBothModules() throws Exception {
        plugin("test.alpha", "test.alpha", "same-name");
        plugin("test.beta", "test.beta", "same-name");
        assertThatThrownBy(() -> load(Optional.empty())).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("duplicate attention 'same-name'").hasMessageContaining("test.alpha").hasMessageContaining("test.beta")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aPluginBuiltForAnotherMajorVersionIsRefused() throws Exception {
        int major = NanolabApi.major(NanolabApi.VERSION) + 1;
        PluginJars.build(dir, "test.future", PluginJars.attentionPlugin("test.future", "test.future", "x", major + ".0.0", null), null);
        assertThatThrownBy(() -> load(Optional.empty())).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("test.future").hasMessageContaining("test.future.jar")
                .hasMessageContaining("built for framework-api " + major + ".0.0");
    }

    @Test
    void aModuleNamedInModulesButNotFoundIsAnError() throws Exception {
        plugin("test.alpha", "test.alpha", "alpha-attention");
        assertThatThrownBy(() -> load(Optional.of(Set.of("test.missing")))).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("module 'test.missing'").hasMessageContaining("not found").hasMessageContaining("test.alpha");
    }

    @Test
    void aJarThatIsNotAModuleIsRefused() throws Exception {
        Map<String, String> src = Map.of("plain/Thing.java", "package plain; public class Thing {}");
        Path jar = PluginJars.build(dir, "plain-lib", src, null);
        assertThatThrownBy(() -> load(Optional.empty())).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining(jar.toString()).hasMessageContaining("is not a module");
    }

    @Test
    void aLibraryWithAnAutomaticModuleNameIsAllowed() throws Exception {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Automatic-Module-Name", "test.lib");
        PluginJars.build(dir, "lib", Map.of("testlib/Thing.java", "package testlib; public class Thing {}"), mf);
        plugin("test.alpha", "test.alpha", "alpha-attention");
        assertThat(load(Optional.empty()).registry().specs(ComponentKind.ATTENTION)).hasSize(1);
    }

    @Test
    void aSplitPackageNamesBothJars() throws Exception {
        plugin("test.alpha", "test.shared", "alpha-attention");
        plugin("test.beta", "test.shared", "beta-attention");
        assertThatThrownBy(() -> load(Optional.empty())).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("split package test.shared").hasMessageContaining("test.alpha.jar").hasMessageContaining("test.beta.jar");
    }

    @Test
    void aPluginWhoseGuiceModuleFailsIsNamed() throws Exception {
        PluginJars.build(dir, "test.broken", PluginJars.attentionPlugin("test.broken", "test.broken", "x", NanolabApi.VERSION,
                "protected void configure() { throw new IllegalStateException(\"no GPU here\"); }"), null);
        assertThatThrownBy(() -> load(Optional.empty())).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("test.broken").hasMessageContaining("Guice module failed").hasMessageContaining("no GPU here");
    }

    @Test
    void aPluginWithUnsatisfiableBindingsIsNamed() throws Exception {
        PluginJars.build(dir, "test.unbound", PluginJars.attentionPlugin("test.unbound", "test.unbound", "x", NanolabApi.VERSION,
                "protected void configure() { getProvider(Runnable.class); }"), null);
        assertThatThrownBy(() -> load(Optional.empty())).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("test.unbound").hasMessageContaining("Guice bindings failed");
    }

    @Test
    void aMissingPluginFolderIsNamed() {
        Path nowhere = dir.resolve("nowhere");
        assertThatThrownBy(() -> new PluginLoader().load(new PluginLoader.Options(List.of(nowhere), null, Optional.empty())))
                .hasMessageContaining(nowhere.toString()).hasMessageContaining("does not exist");
    }

    @Test
    void twoJarsOfOneModuleAreNamed() throws Exception {
        plugin("test.alpha", "test.alpha", "alpha-attention");
        Path copy = dir.resolve("test.alpha-copy.jar");
        Files.copy(dir.resolve("test.alpha.jar"), copy);
        assertThatThrownBy(() -> load(Optional.empty())).hasMessageContaining("module test.alpha is in two jars");
    }
}
