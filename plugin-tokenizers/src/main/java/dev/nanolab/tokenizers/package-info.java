/** Built-in tokenizers. */
package dev.nanolab.tokenizers;
