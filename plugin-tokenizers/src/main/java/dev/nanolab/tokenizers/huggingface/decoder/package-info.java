/**
 * HuggingFace decoders ({@link dev.nanolab.tokenizers.huggingface.decoder.Decoder}), one class each, and
 * {@link dev.nanolab.tokenizers.huggingface.decoder.DecoderReader}, which reads them from a tokenizer.json.
 */
package dev.nanolab.tokenizers.huggingface.decoder;
