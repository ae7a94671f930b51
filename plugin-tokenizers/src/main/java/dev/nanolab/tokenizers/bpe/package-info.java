/**
 * The {@code bpe} tokenizer: a trainable byte-level byte-pair encoding, its trainer, and its file format.
 * {@link dev.nanolab.tokenizers.bpe.BpeConfig} is its config.
 */
package dev.nanolab.tokenizers.bpe;
