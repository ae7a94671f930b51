package dev.nanolab.api.backend;

/** Reductions over one axis. */
public enum ReduceOp {
    SUM, MEAN, MAX, SUM_OF_SQUARES
}
