/**
 * Tokenizers: {@link dev.nanolab.api.tokenizer.TokenizerFactory} is the component kind
 * ({@link dev.nanolab.api.plugin.ComponentKind#TOKENIZER}); the {@link dev.nanolab.api.tokenizer.Tokenizer} it
 * builds or loads encodes and decodes, and carries a state that token files and checkpoints record.
 */
package dev.nanolab.api.tokenizer;
