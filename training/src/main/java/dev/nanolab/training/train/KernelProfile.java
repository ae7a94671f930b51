package dev.nanolab.training.train;

import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.backend.Memory;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a step's time goes, kernel by kernel: wraps a backend so that every kernel call is timed (wall clock) and
 * counted under "group.method" (e.g. {@code gemm.matmul}, {@code attention.backward}). For {@code nanolab bench train
 * --profile}; the proxy costs well under a microsecond per call.
 */
public final class KernelProfile {
    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    /** A backend that times every kernel of {@code inner} into this profile. */
    public Backend wrap(Backend inner) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, m, args) -> {
            Object r = invoke(inner, m, args);
            // Kernel groups come back timed; memory transfers and bookkeeping are not kernels.
            if (r != null && m.getParameterCount() == 0 && m.getReturnType().isInterface() && m.getReturnType() != Memory.class
                    && m.getReturnType().getPackageName().equals(Backend.class.getPackageName()))
                return timed(m.getName(), m.getReturnType(), r);
            // Optional kernel sets too (fused optimizer updates, softcapped and blocked cross-entropy, clipped
            // attention): untimed, they fell into "outside kernels".
            if (m.getName().equals("extension") && r instanceof Optional<?> found && found.isPresent()
                    && args[0] instanceof Class<?> type && type.isInterface())
                return Optional.of(timed(extensionGroup(type), type, found.get()));
            return r;
        });
    }

    /** {@code FusedOptimizerKernels} → {@code fusedOptimizer}: an extension's group name in the profile. */
    static String extensionGroup(Class<?> type) {
        String name = type.getSimpleName().replaceFirst("Kernels$", "");
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private Object timed(String group, Class<?> type, Object target) {
        InvocationHandler h = (proxy, m, args) -> {
            // Kernels write their outputs and return nothing; a method that returns a value is a query (blockRows).
            if (m.getDeclaringClass() == Object.class || m.getReturnType() != void.class) return invoke(target, m, args);
            String key = group + "." + m.getName();
            long t0 = System.nanoTime();
            try {
                return invoke(target, m, args);
            } finally {
                nanos.computeIfAbsent(key, k -> new LongAdder()).add(System.nanoTime() - t0);
                calls.computeIfAbsent(key, k -> new LongAdder()).increment();
            }
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    private static Object invoke(Object target, Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** One kernel's totals. */
    public record Line(String kernel, long calls, double ms) {}

    /** The kernels by total time, largest first. */
    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        nanos.forEach((k, v) -> out.add(new Line(k, calls.get(k).sum(), v.sum() / 1e6)));
        out.sort(Comparator.comparingDouble(Line::ms).reversed());
        return out;
    }

    public void reset() {
        nanos.clear();
        calls.clear();
    }
}
