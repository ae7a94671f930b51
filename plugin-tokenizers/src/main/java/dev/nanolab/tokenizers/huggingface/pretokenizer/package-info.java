/**
 * HuggingFace pre-tokenizers ({@link dev.nanolab.tokenizers.huggingface.pretokenizer.PreTokenizer}) and
 * {@link dev.nanolab.tokenizers.huggingface.pretokenizer.PreTokenizerReader}, which reads them from a tokenizer.json.
 */
package dev.nanolab.tokenizers.huggingface.pretokenizer;
