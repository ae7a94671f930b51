package dev.nanolab.tornadovm;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;

/** Registers the {@code tornadovm} backend. Touches no TornadoVM class until a backend is opened or devices listed. */
public final class TornadoPlugin implements Plugin {
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
        return binder -> Components.register(binder, ComponentSpec.of(ComponentKind.BACKEND, "tornadovm",
                "TornadoVM: Java kernels JIT-compiled for GPUs and other OpenCL/PTX/SPIR-V devices",
                TornadoBackendFactory.Config.class, TornadoBackendFactory::new));
    }
}
