/**
 * HuggingFace normalizers ({@link dev.nanolab.tokenizers.huggingface.normalizer.Normalizer}), one class each, and
 * {@link dev.nanolab.tokenizers.huggingface.normalizer.NormalizerReader}, which reads them from a tokenizer.json.
 */
package dev.nanolab.tokenizers.huggingface.normalizer;
