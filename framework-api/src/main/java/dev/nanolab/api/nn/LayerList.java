package dev.nanolab.api.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/** Numbered children ({@code h.0}, {@code h.1}, ...), as PyTorch's {@code nn.ModuleList}. */
public final class LayerList<M extends Layer> extends Layer implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        items.add(child(Integer.toString(items.size()), module));
        return module;
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<M> iterator() {
        return Collections.unmodifiableList(items).iterator();
    }
}
