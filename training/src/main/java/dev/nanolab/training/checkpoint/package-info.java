/** Checkpoints: safetensors files written atomically, with the state to resume exactly. */
package dev.nanolab.training.checkpoint;
