package dev.nanolab.api.tensor;

/**
 * Whether ops record their backward on this thread. Evaluation, sampling and optimizer updates run inside
 * {@code try (var s = GradMode.disabled()) { ... }}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean enabled() {
        return ENABLED.get()[0];
    }

    /** Turns recording off until the returned scope closes. */
    public static Scope disabled() {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = false;
        return () -> flag[0] = previous;
    }

    /** Restores the previous mode on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
