package dev.nanolab.api.nn;

import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A piece of a model: parameters, buffers, child layers, a train/eval mode, and forward hooks.
 *
 * <p>Names are dotted paths from the root, as in PyTorch ({@code transformer.h.0.attn.c_attn.weight}); they are
 * stable, so checkpoints key weights by them. A parameter shared by two layers (tied embeddings) is listed once,
 * under the first name it was reached by.
 *
 * <p>Subclasses end their forward with {@code return emit(output);} so that hooks see the output. Probes use hooks
 * to read activations; a layer with no hooks pays nothing.
 */
public abstract class Layer {
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Layer> children = new LinkedHashMap<>();
    private final List<ForwardHook> hooks = new CopyOnWriteArrayList<>();
    private boolean training = true;
    private String path = "";

    /** Registers a parameter: it requires a gradient from now on. */
    protected final Tensor parameter(String name, Tensor value) {
        checkName(name);
        params.put(name, value.requiresGrad(true));
        return value;
    }

    /** Registers a buffer: state saved in checkpoints but not trained (e.g. batch-norm running statistics). */
    protected final Tensor buffer(String name, Tensor value) {
        checkName(name);
        buffers.put(name, value);
        return value;
    }

    /** Registers a child layer. */
    protected final <M extends Layer> M child(String name, M layer) {
        checkName(name);
        children.put(name, layer);
        return layer;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException("bad or duplicate member name '" + name + "' in " + getClass().getSimpleName());
    }

    /** Parameters by full dotted name, each once, in registration order. Also names the tensors. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        collect("", out, seen, true);
        return out;
    }

    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Buffers by full dotted name. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, Collections.newSetFromMap(new IdentityHashMap<>()), false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, Set<Tensor> seen, boolean parameters) {
        this.path = prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1);
        for (var e : (parameters ? params : buffers).entrySet()) {
            if (seen.add(e.getValue())) {
                String full = prefix + e.getKey();
                e.getValue().name(full);
                out.put(full, e.getValue());
            }
        }
        for (var c : children.entrySet()) c.getValue().collect(prefix + c.getKey() + ".", out, seen, parameters);
    }

    /** This module and every descendant, by dotted path ("" for the root). */
    public final Map<String, Layer> namedLayers() {
        Map<String, Layer> out = new LinkedHashMap<>();
        walk("", out);
        return out;
    }

    private void walk(String path, Map<String, Layer> out) {
        this.path = path;
        out.put(path, this);
        for (var c : children.entrySet()) c.getValue().walk(path.isEmpty() ? c.getKey() : path + "." + c.getKey(), out);
    }

    /** The dotted path of this layer in its model, known once the root has listed its layers. */
    public final String path() {
        return path;
    }

    /** Number of parameter elements, shared tensors counted once. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor t : namedParameters().values()) n += t.size();
        return n;
    }

    public final void zeroGrad() {
        for (Tensor t : namedParameters().values()) t.zeroGrad();
    }

    /** Training mode (dropout active) for this layer and all descendants. */
    public final Layer train() {
        return setTraining(true);
    }

    /** Evaluation mode (dropout off) for this layer and all descendants. */
    public final Layer eval() {
        return setTraining(false);
    }

    private Layer setTraining(boolean on) {
        training = on;
        for (Layer c : children.values()) c.setTraining(on);
        return this;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Called with every output this layer emits until the returned handle is closed. */
    public final HookHandle addForwardHook(ForwardHook hook) {
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Passes an output through this layer's forward hooks and returns it. */
    protected final Tensor emit(Tensor output) {
        for (ForwardHook h : hooks) h.onForward(this, output);
        return output;
    }

    /** Sees a layer's output during forward. */
    @FunctionalInterface
    public interface ForwardHook {
        void onForward(Layer layer, Tensor output);
    }

    /** Removes a hook on close. */
    @FunctionalInterface
    public interface HookHandle extends AutoCloseable {
        @Override
        void close();
    }
}
