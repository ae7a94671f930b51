/**
 * Tokenizer benchmarks: encode and decode speed on 10 MiB corpora ({@link dev.nanolab.benchmarks.tokenizers.TokenizerBench})
 * and BPE training time against vocabulary size ({@link dev.nanolab.benchmarks.tokenizers.BpeTrainingBench}).
 * Prepare the corpora first with {@code benchmarks/prepare-corpora}; see docs/benchmarks-tokenizers.md.
 */
package dev.nanolab.benchmarks.tokenizers;
