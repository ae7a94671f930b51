/** The run configuration: {@link dev.nanolab.training.config.RunConfig} and its sections, with nanoGPT's defaults. */
package dev.nanolab.training.config;
