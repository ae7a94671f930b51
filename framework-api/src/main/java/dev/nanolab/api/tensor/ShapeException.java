package dev.nanolab.api.tensor;

/** Shapes that do not fit an op: the message names the op and every shape involved. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String op, String message) {
        super(op + ": " + message);
    }
}
