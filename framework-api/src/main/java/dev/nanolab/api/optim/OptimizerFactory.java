package dev.nanolab.api.optim;

/** Placeholder: the optimizer SPI is defined with the tensor engine. */
public interface OptimizerFactory {
}
