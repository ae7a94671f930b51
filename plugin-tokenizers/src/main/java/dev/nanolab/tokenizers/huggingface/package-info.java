/**
 * The {@code hf} tokenizer: a HuggingFace {@code tokenizer.json} (byte-level BPE through the {@code bpe} package;
 * WordPiece, SentencePiece-style BPE and Unigram through the pipeline subpackages), so that text is tokenised
 * exactly as for a model trained elsewhere. {@link dev.nanolab.tokenizers.huggingface.HfConfig} is its
 * config.
 */
package dev.nanolab.tokenizers.huggingface;
