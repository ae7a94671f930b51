package dev.nanolab.training.config;

import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;

/** How a corpus becomes train and val token files, and in which file format. */
public record DataConfig(
        @Doc("fraction of the corpus held out for validation") @Range(min = 0, max = 1, minOpen = true, maxOpen = true) double valFraction,
        @Doc("tail: the last tokens (nanoGPT); documents: whole documents by a hash of their name; auto: documents when there are many") Split split,
        @Doc("where prepared token files are kept") String dir,
        @Doc("token file format: nanolab (checked header), nanogpt (raw uint16 train.bin/val.bin, as nanoGPT's prepare.py writes), llmc (llm.c's shards: 256 int32 header, uint16 tokens)") Format format,
        @Doc("a folder of token files to train from as it is (nanoGPT's train.bin/val.bin, or llm.c's *_train_*.bin/*_val_*.bin in format llmc); empty = prepare the dataset into dir") String path) {

    /** How the validation part is chosen. */
    public enum Split { AUTO, TAIL, DOCUMENTS }

    /** The token file layouts nanolab reads and writes. */
    public enum Format { NANOLAB, NANOGPT, LLMC }

    public DataConfig {
        if (format == null) format = Format.NANOLAB;
        if (path == null) path = "";
    }

    /** nanolab's own format, prepared into {@code dir}. */
    public DataConfig(double valFraction, Split split, String dir) {
        this(valFraction, split, dir, Format.NANOLAB, "");
    }

    public DataConfig() {
        this(0.1, Split.AUTO, "data");
    }
}
