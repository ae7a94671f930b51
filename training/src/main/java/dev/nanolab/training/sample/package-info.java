/** Sampling with temperature, top-k and top-p, and whole-sequence evaluation (loss, perplexity, bits per character). */
package dev.nanolab.training.sample;
