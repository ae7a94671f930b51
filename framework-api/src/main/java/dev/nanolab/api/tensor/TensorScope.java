package dev.nanolab.api.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An arena for the tensors of one step: every tensor allocated on this thread while the scope is open is released to
 * its backend's pool when the scope closes, unless {@link Tensor#keep() kept}. Since a training step allocates the
 * same shapes in the same order every time, the pool hands back the same storages and a warm step allocates
 * nothing.
 *
 * <pre>{@code
 * try (TensorScope step = TensorScope.open()) {
 *     Tensor loss = model.loss(x, y);
 *     loss.backward();
 *     lossValue = loss.item();
 * }
 * }</pre>
 *
 * Scopes nest; a tensor belongs to the innermost open scope.
 */
public final class TensorScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<TensorScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<Tensor> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private TensorScope() {}

    public static TensorScope open() {
        TensorScope s = new TensorScope();
        OPEN.get().push(s);
        return s;
    }

    /** Runs {@code body} with no scope open, so what it allocates persists (parameters, gradients, optimizer state). */
    public static <T> T outside(Supplier<T> body) {
        ArrayDeque<TensorScope> stack = OPEN.get();
        ArrayDeque<TensorScope> saved = new ArrayDeque<>(stack);
        stack.clear();
        try {
            return body.get();
        } finally {
            stack.addAll(saved);
        }
    }

    static void track(Tensor t) {
        TensorScope s = OPEN.get().peek();
        if (s != null) s.tensors.add(t);
    }

    static void untrack(Tensor t) {
        for (TensorScope s : OPEN.get()) s.kept.add(t);
    }

    static boolean isTracked(Tensor t) {
        TensorScope s = OPEN.get().peek();
        return s != null && !s.kept.contains(t) && s.tensors.contains(t);
    }

    /** Number of tensors this scope will release. */
    public int tracked() {
        return tensors.size() - kept.size();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        ArrayDeque<TensorScope> stack = OPEN.get();
        if (stack.peek() != this) throw new IllegalStateException("tensor scopes closed out of order");
        stack.pop();
        // Release in reverse allocation order so the pool's LIFO lists hand storages out in the same order next step.
        for (int i = tensors.size() - 1; i >= 0; i--) {
            Tensor t = tensors.get(i);
            if (!kept.contains(t)) t.release();
        }
        tensors.clear();
    }
}
