package dev.nanolab.api.model;

/**
 * The model-architecture component ({@link dev.nanolab.api.plugin.ComponentKind#ARCHITECTURE}), e.g. {@code gpt} or
 * {@code lstm}: made from its config record, it builds models.
 */
public interface Architecture {
    /**
     * Whether models of this architecture use an attention variant. Setting one on an architecture that does not is
     * a config error, not a silent no-op.
     */
    boolean usesAttention();

    /** Builds a freshly initialised model. */
    LanguageModel build(ModelContext context);
}
