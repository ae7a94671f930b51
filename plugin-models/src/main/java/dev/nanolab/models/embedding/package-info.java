/**
 * Input embeddings ({@code model.embedding}): {@link dev.nanolab.models.embedding.TokenLookup} ({@code token}, the
 * plain table) and {@link dev.nanolab.models.embedding.MixtureOfTokenizers} ({@code mot}: each token attends to the
 * bytes it and the tokens before it spell).
 */
package dev.nanolab.models.embedding;
