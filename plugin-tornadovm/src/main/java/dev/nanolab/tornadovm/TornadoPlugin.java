package dev.nanolab.tornadovm;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Plugin;

import static dev.nanolab.api.plugin.ComponentKind.BACKEND;

/** Registers the {@code tornadovm} backend. Touches no TornadoVM class until a backend is opened or devices listed. */
public final class TornadoPlugin extends AbstractModule implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @ProvidesIntoSet
    public ComponentSpec<?, BackendFactory> tornadovm() {
        return ComponentSpec.of(BACKEND, "tornadovm", "TornadoVM: Java kernels JIT-compiled for GPUs and other OpenCL/PTX/SPIR-V devices",
                TornadoBackendFactory.Config.class, TornadoBackendFactory::new);
    }
}
