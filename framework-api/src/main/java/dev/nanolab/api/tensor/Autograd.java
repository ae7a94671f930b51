package dev.nanolab.api.tensor;

import dev.nanolab.api.backend.Backend;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** The reverse-mode engine behind {@link Tensor#backward()}. */
final class Autograd {
    private Autograd() {}

    /** Runs the backward from {@code root}, seeded with {@code gradient}, or with 1 when that is null. */
    static void backward(Tensor root, Tensor gradient) {
        List<Tensor> order = topologicalOrder(root);
        Backend backend = root.backend();
        Tensor.GradSink seed = root.gradSink();
        if (gradient == null) {
            backend.memory().fill(seed.grad().storage(), seed.grad().offset(), 1, 1f);
        } else {
            int[] st = root.shape().strides();
            backend.pointwise().copy(gradient.storage(), gradient.offset(), st, seed.grad().storage(),
                    seed.grad().offset(), st, root.shape().dims(), seed.accumulate());
        }
        // Grad mode is off while backward functions run: they compute gradients, they are not differentiated.
        try (GradMode.Scope ignored = GradMode.disabled()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                GradNode node = t.node();
                Tensor g = t.grad();
                if (node == null) continue;
                if (g != null) node.backward().apply(g);
                // The graph is single-use: dropping the node lets its saved tensors go, and intermediate gradients
                // are not needed once passed on.
                t.clearNode();
                if (t != root) {
                    Tensor raw = t.rawGrad();
                    t.dropGrad();
                    if (raw != null && TensorScope.isTracked(raw)) {
                        TensorScope.untrack(raw);
                        raw.release();
                    }
                }
            }
        }
    }

    /** Tensors reachable from the root through recorded nodes, each after all of its inputs. */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // Iterative DFS: deep graphs (a long LSTM unroll) must not overflow the stack.
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        seen.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (int) frame[1];
            GradNode node = t.node();
            Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && seen.add(in)) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }
}
