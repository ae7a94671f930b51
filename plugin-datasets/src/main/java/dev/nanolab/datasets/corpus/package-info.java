/** What the recipes share: lazily read corpora, the byte limit, text detection and include globs. */
package dev.nanolab.datasets.corpus;
