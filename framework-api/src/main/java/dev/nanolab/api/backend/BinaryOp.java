package dev.nanolab.api.backend;

/** Elementwise binary functions {@code out = a op b}; EQ and GT give 1 or 0 and have no gradient. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, EQ, GT
}
