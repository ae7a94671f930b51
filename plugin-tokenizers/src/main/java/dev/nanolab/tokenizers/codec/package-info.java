/**
 * What every tokenizer needs around its own vocabulary: UTF-8 bytes with a defined answer for invalid UTF-16,
 * special-token splitting, id checks on decode, and reading and writing JSON state with one-line errors.
 * Not exported: internal to the tokenizers plugin.
 */
package dev.nanolab.tokenizers.codec;
