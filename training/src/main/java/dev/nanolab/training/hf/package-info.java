/**
 * Hugging Face GPT-2 in and out: a folder in Hugging Face's layout ({@code config.json}, {@code model.safetensors}
 * or shards with {@code model.safetensors.index.json}, {@code tokenizer.json} or {@code vocab.json} +
 * {@code merges.txt}) read into nanolab's {@code gpt} ({@code init_from}), and a checkpoint written as one
 * ({@code nanolab export --format hf}).
 */
package dev.nanolab.training.hf;
