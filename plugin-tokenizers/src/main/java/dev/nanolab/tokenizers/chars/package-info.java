/**
 * The {@code char} tokenizer (nanoGPT's {@code shakespeare_char}): the vocabulary is the sorted set of characters
 * seen in training. {@link dev.nanolab.tokenizers.chars.CharConfig} is its config.
 */
package dev.nanolab.tokenizers.chars;
