package dev.nanolab.api.backend;

/** A step prepared by {@link Backend#capture}: run it once per training step. */
@FunctionalInterface
public interface CapturedStep {
    void run();
}
