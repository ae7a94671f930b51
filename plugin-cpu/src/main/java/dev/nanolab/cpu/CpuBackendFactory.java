package dev.nanolab.cpu;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import java.util.List;

/** The {@code cpu} backend component. */
public final class CpuBackendFactory implements BackendFactory {
    /**
     * @param threads worker threads; 0 means one per available core
     * @param poison  fill new allocations with NaN (for debugging kernels)
     */
    public record Config(@Doc("worker threads; 0 = one per core") @Range(min = 0, max = 1024) int threads,
                         @Doc("fill new allocations with NaN, to catch unwritten outputs") boolean poison) {
        public Config() {
            this(0, false);
        }
    }

    private final Config config;

    public CpuBackendFactory(Config config) {
        this.config = config;
    }

    @Override
    public Backend open() {
        int t = config.threads() == 0 ? Runtime.getRuntime().availableProcessors() : config.threads();
        return new CpuBackend(t, config.poison());
    }

    @Override
    public List<String> devices() {
        return List.of("cpu: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit SIMD");
    }
}
