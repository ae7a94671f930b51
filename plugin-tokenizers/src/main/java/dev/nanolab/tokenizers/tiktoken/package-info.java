/** The {@code tiktoken:*} tokenizers: OpenAI's fixed encodings, through jtokkit. */
package dev.nanolab.tokenizers.tiktoken;
