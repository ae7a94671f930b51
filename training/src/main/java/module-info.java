/** The training pipeline: token files, batches, the loop, checkpoints, evaluation and sampling. */
module dev.nanolab.training {
    requires transitive dev.nanolab.api;
    requires com.fasterxml.jackson.databind;
    requires me.tongfei.progressbar;

    exports dev.nanolab.training.config;
    exports dev.nanolab.training.data;
    exports dev.nanolab.training.train;
    exports dev.nanolab.training.checkpoint;
    exports dev.nanolab.training.sample;
    exports dev.nanolab.training.probe;
    exports dev.nanolab.training.hf;
}
