package dev.nanolab.api.tensor;

/** The recorded producer of a non-leaf tensor: its inputs and its backward. */
record GradNode(Backward backward, Tensor[] inputs) {}
