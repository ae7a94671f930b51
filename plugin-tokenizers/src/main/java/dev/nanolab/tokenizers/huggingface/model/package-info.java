/**
 * HuggingFace models other than byte-level BPE ({@link dev.nanolab.tokenizers.huggingface.model.Model}): WordPiece,
 * BPE over characters with byte fallback, Unigram; {@link dev.nanolab.tokenizers.huggingface.model.ModelReader}
 * reads them from a tokenizer.json.
 */
package dev.nanolab.tokenizers.huggingface.model;
