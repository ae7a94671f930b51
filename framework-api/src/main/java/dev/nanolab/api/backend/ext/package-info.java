/**
 * Optional kernel sets: fused kernels that serve one component (an attention variant, an optimizer) rather than
 * every model, so no backend has to implement them. A component asks for one with
 * {@link dev.nanolab.api.backend.Backend#extension} and, where the backend has none, computes the same function from
 * the core kernels (its generic path). They live here, in framework-api, only because plugins depend on nothing
 * else: the variant plugin that calls one and the backend plugin that implements it must both see its interface.
 * A new variant needs no edit here: it composes, or brings an interface of its own for backends that choose to
 * implement it.
 */
package dev.nanolab.api.backend.ext;
