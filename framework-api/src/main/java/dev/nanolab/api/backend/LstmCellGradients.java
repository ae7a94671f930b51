package dev.nanolab.api.backend;

/** Where the LSTM cell's backward writes: the gates' gradient and the previous cell state's, each written or accumulated. */
public record LstmCellGradients(Storage dGates, Storage dcPrev, boolean accumulateGates, boolean accumulateCPrev) {}
