package dev.nanolab.api.attention;

/** Placeholder: the attention-variant SPI is defined with the tensor engine. */
public interface AttentionVariant {
    String describe();
}
