/** The {@code jdk-source} dataset: the running JDK's own Java sources. */
package dev.nanolab.datasets.jdk;
