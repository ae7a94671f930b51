package dev.nanolab.probes;

import dev.nanolab.api.nn.Layer;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Forward hooks on a set of modules, removed together. */
final class Hooks implements AutoCloseable {
    private final List<Layer.HookHandle> handles = new ArrayList<>();

    /** Calls {@code onOutput(path, output)} for every output of every module given. */
    static Hooks on(Map<String, Layer> modules, BiConsumer<String, Tensor> onOutput) {
        Hooks h = new Hooks();
        for (var e : modules.entrySet()) {
            String path = e.getKey();
            h.handles.add(e.getValue().addForwardHook((m, out) -> onOutput.accept(path, out)));
        }
        return h;
    }

    void add(Layer.HookHandle handle) {
        handles.add(handle);
    }

    @Override
    public void close() {
        for (Layer.HookHandle h : handles) h.close();
        handles.clear();
    }
}
