package dev.nanolab.api.config;

/** The config of a component that has nothing to set. */
public record NoOptions() {}
