/** The {@code text:PATH} and {@code zip:PATH} datasets: local files, folders and zips. */
package dev.nanolab.datasets.files;
