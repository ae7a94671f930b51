/**
 * Model architectures: the {@link dev.nanolab.api.model.Architecture} component builds a
 * {@link dev.nanolab.api.model.LanguageModel} (ids in, logits out) that training, evaluation and sampling use, with a
 * {@link dev.nanolab.api.model.Decoder} for incremental generation.
 */
package dev.nanolab.api.model;
