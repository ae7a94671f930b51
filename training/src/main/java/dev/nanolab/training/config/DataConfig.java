package dev.nanolab.training.config;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/** How a corpus becomes train and val token files. */
public record DataConfig(
        @Doc("fraction of the corpus held out for validation") @Range(min = 0, max = 1, minOpen = true, maxOpen = true) double valFraction,
        @Doc("tail: the last tokens (nanoGPT); documents: whole documents by a hash of their name; auto: documents when there are many") Split split,
        @Doc("where prepared token files are kept") String dir) {

    /** How the validation part is chosen. */
    public enum Split { AUTO, TAIL, DOCUMENTS }

    public DataConfig() {
        this(0.1, Split.AUTO, "data");
    }
}
