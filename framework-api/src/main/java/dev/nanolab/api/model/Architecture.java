package dev.nanolab.api.model;

/** Placeholder: the architecture SPI is defined with the tensor engine. */
public interface Architecture {
    /** Whether models of this architecture use an attention variant (setting one otherwise is a config error). */
    boolean usesAttention();
}
