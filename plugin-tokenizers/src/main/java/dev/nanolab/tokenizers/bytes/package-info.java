/** The {@code byte} tokenizer: one token per UTF-8 byte. */
package dev.nanolab.tokenizers.bytes;
