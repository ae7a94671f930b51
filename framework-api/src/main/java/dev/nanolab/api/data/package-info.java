/**
 * Text corpora and the dataset-recipe component kind that produces them. The training pipeline tokenises a
 * {@link dev.nanolab.api.data.TextCorpus} into token files.
 */
package dev.nanolab.api.data;
