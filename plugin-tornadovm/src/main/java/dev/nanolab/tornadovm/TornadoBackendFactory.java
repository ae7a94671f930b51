package dev.nanolab.tornadovm;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.BackendFactory;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import java.util.List;

/** The {@code tornadovm} backend component. */
public final class TornadoBackendFactory implements BackendFactory {
    /**
     * @param device       the TornadoVM device as backend:device ({@code nanolab plugins} lists them), e.g. 0:0
     * @param memoryMiB    device memory for float32 tensors (one arena, allocated when the backend opens)
     * @param intMemoryMiB device memory for int32 tensors (token ids, targets)
     * @param capture      record training steps into TaskGraphs replayed every step; false runs every kernel eagerly
     * @param poison       fill new allocations with NaN, to catch kernels that leave outputs unwritten
     */
    public record Config(@Doc("TornadoVM device as backend:device, e.g. 0:0 (see nanolab plugins)") String device,
                         @Doc("device memory for float32 tensors, MiB") @Range(min = 1, max = 8191) int memoryMiB,
                         @Doc("device memory for int32 tensors, MiB") @Range(min = 1, max = 8191) int intMemoryMiB,
                         @Doc("capture training steps into TaskGraphs (false: every kernel runs on its own)") boolean capture,
                         @Doc("fill new allocations with NaN, to catch unwritten outputs") boolean poison) {
        public Config() {
            this("0:0", 1024, 64, true, false);
        }
    }

    private final Config config;

    public TornadoBackendFactory(Config config) {
        this.config = config;
    }

    @Override
    public Backend open() {
        return new TornadoBackend(config.device(), config.memoryMiB(), config.intMemoryMiB(), config.capture(), config.poison());
    }

    @Override
    public List<String> devices() {
        try {
            return Devices.list().stream().map(d -> "tornadovm " + d).toList();
        } catch (RuntimeException | LinkageError e) {
            return List.of("tornadovm: no TornadoVM runtime in this JVM (run with TORNADOVM_HOME set and --backend tornadovm)");
        }
    }
}
