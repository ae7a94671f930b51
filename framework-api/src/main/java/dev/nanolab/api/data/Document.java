package dev.nanolab.api.data;

/**
 * One document of a corpus: a source file, a book, a sentence list.
 *
 * @param name where it came from (a path inside a zip, a file name), for messages
 * @param text its text
 */
public record Document(String name, String text) {}
