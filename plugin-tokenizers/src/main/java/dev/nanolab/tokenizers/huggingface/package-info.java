/**
 * The {@code hf} tokenizer: a byte-level BPE read from a HuggingFace {@code tokenizer.json}, so that text is
 * tokenised exactly as for a model trained elsewhere. {@link dev.nanolab.tokenizers.huggingface.HfConfig} is its
 * config.
 */
package dev.nanolab.tokenizers.huggingface;
