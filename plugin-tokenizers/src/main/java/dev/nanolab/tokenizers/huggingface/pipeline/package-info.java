/**
 * The HuggingFace tokenizer pipeline for files that are not byte-level BPE: normalizer, pre-tokenizer, model and
 * decoder, each from its own package, put together by
 * {@link dev.nanolab.tokenizers.huggingface.pipeline.PipelineReader} into a
 * {@link dev.nanolab.tokenizers.huggingface.pipeline.PipelineTokenizer}. {@link
 * dev.nanolab.tokenizers.huggingface.pipeline.HfNode} carries the file and JSON path for one-line refusals.
 */
package dev.nanolab.tokenizers.huggingface.pipeline;
