package dev.nanolab.api.tensor;

import dev.nanolab.api.backend.DType;

/** Argument checks shared by the op classes, with messages that name the op and the tensors. */
final class Tensors {
    private Tensors() {}

    static void sameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend())
            throw new IllegalArgumentException(op + ": tensors on different backends (" + a.describe() + " and "
                    + b.describe() + "); move one with to(backend)");
    }

    static void sameBackend(String op, Tensor first, Tensor... others) {
        for (Tensor t : others) if (t != null) sameBackend(op, first, t);
    }

    static void isFloat(String op, Tensor t) {
        if (t.dtype() != DType.F32) throw new IllegalArgumentException(op + ": needs a float tensor, got " + t.describe());
    }

    static void isInt(String op, Tensor t) {
        if (t.dtype() != DType.I32) throw new IllegalArgumentException(op + ": needs an int32 tensor, got " + t.describe());
    }

    static void sameShape(String op, Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape()))
            throw new ShapeException(op, "shapes " + a.shape() + " and " + b.shape() + " differ");
    }
}
