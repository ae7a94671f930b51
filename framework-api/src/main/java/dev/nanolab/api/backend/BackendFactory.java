package dev.nanolab.api.backend;

/**
 * The compute-backend component ({@link dev.nanolab.api.plugin.ComponentKind#BACKEND}), e.g. {@code cpu} or
 * {@code tornadovm}. Made from its config (thread count, device), it opens a {@link Backend}.
 */
public interface BackendFactory {
    /** Opens the backend; the caller closes it. */
    Backend open();

    /** The devices this backend can run on, one line each, for {@code nanolab plugins}. */
    default java.util.List<String> devices() {
        return java.util.List.of();
    }
}
