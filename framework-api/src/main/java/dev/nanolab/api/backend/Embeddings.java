package dev.nanolab.api.backend;

/** Table lookup: {@code out[i, :] = table[ids[i], :]} for int32 ids, and its scatter-add backward. */
public interface Embeddings {
    /** Ids outside {@code [0, vocab)} are an error naming the position and the id. */
    void lookup(Storage ids, Storage table, Storage out, int n, int dim, int vocab);

    /** {@code dTable[ids[i], :] += dOut[i, :]}; deterministic (summed in position order). */
    void lookupBackward(Storage ids, Storage dOut, Storage dTable, int n, int dim, int vocab, boolean accumulate);
}
