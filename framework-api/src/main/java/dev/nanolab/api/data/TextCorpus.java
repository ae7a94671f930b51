package dev.nanolab.api.data;

import java.util.stream.Stream;

/** A body of text, read as a stream of documents in a fixed order. */
public interface TextCorpus {
    /** A short name for messages and metadata, e.g. {@code jdk-source}. */
    String name();

    /**
     * The documents, in the same order on every call; each call starts from the first. Close the stream when done:
     * it may hold a file open.
     */
    Stream<Document> documents();

    /** A corpus of in-memory texts, for tests and small experiments. */
    static TextCorpus of(String name, String... texts) {
        return new TextCorpus() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Stream<Document> documents() {
                return java.util.stream.IntStream.range(0, texts.length)
                        .mapToObj(i -> new Document(name + "#" + i, texts[i]));
            }
        };
    }
}
