/** Token files, dataset preparation and batch sampling. */
package dev.nanolab.training.data;
