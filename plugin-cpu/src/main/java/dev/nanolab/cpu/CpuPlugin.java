package dev.nanolab.cpu;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;

/** Registers the {@code cpu} backend. */
public final class CpuPlugin implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @Override
    public Module module() {
        return binder -> Components.register(binder, ComponentSpec.of(ComponentKind.BACKEND, "cpu",
                "multi-core SIMD kernels on the JVM heap (the default)", CpuBackendFactory.Config.class,
                CpuBackendFactory::new));
    }
}
