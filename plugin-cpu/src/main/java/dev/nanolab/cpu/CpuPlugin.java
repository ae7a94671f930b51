package dev.nanolab.cpu;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;

import static dev.nanolab.api.plugin.ComponentKind.BACKEND;

/** Registers the {@code cpu} backend. */
public final class CpuPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, BackendFactory> cpu() {
        return ComponentSpec.of(BACKEND, "cpu", "multi-core SIMD kernels on the JVM heap (the default)",
                CpuBackendFactory.Config.class, CpuBackendFactory::new);
    }
}
