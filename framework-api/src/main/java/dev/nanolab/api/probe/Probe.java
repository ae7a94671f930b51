package dev.nanolab.api.probe;

/** Placeholder: the probe SPI is defined with the training pipeline. */
public interface Probe {
}
