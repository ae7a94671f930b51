package dev.nanolab.api.tensor;

/**
 * How an op sends the gradient of its output back to its inputs. It is called once, with the output's gradient, and
 * writes into the inputs' {@link Tensor#gradSink()}s (skipping inputs whose sink is null).
 */
@FunctionalInterface
public interface Backward {
    void apply(Tensor outputGrad);
}
