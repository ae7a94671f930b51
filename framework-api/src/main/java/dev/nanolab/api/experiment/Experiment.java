package dev.nanolab.api.experiment;

/** Placeholder: the experiment SPI is defined with compare. */
public interface Experiment {
}
