package dev.nanolab.training.train;

import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.Safetensors;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps {@code best.safetensors} and {@code last.safetensors} of a run folder consistent.
 *
 * <p>An improving evaluation writes the same checkpoint twice, best first, then last; each write is atomic. A kill
 * between the two leaves last one evaluation behind best, and {@link #repair} (run by every resume) copies best over
 * it, so the resume continues from the newest state. The opposite (best behind last, as an older nanolab that wrote
 * last first could leave it) is repaired the other way when last records that its own val loss is the best one.
 */
public final class CheckpointPair {
    private CheckpointPair() {}

    /** What {@link Checkpoint#read} says of a weights file whose state file is from another save. */
    static final String DIFFERENT_SAVES = "are from different saves";

    /** Brings whichever of best and last is behind up to the other; says what it did on {@code log}. */
    public static void repair(Path dir, PrintStream log) throws IOException {
        Path last = dir.resolve(Trainer.LAST), best = dir.resolve(Trainer.BEST);
        boolean hasLast = Files.isRegularFile(last), hasBest = Files.isRegularFile(best);
        if (!hasBest) {
            if (hasLast) {
                Checkpoint.State l = Checkpoint.read(last, note -> {}).state();
                if (l.valLoss() == l.bestValLoss()) {
                    Checkpoint.copy(last, best);
                    log.printf("repaired %s: it was missing, and %s (iteration %d) holds the best val loss %.4f; copied it%n", best, last, l.step(), l.bestValLoss());
                }
            }
            return;
        }
        Checkpoint.State b = Checkpoint.read(best, note -> {}).state();
        if (!hasLast) {
            Checkpoint.copy(best, last);
            log.printf("repaired %s: it was missing (the run was killed between writing %s and it); copied %s (iteration %d)%n", last, best, best, b.step());
            return;
        }
        Checkpoint.State l;
        try {
            l = Checkpoint.read(last, note -> {}).state();
        } catch (IOException e) {
            if (!e.getMessage().contains(DIFFERENT_SAVES)) throw e;
            // killed between the two renames of a save (or of a copy): its weights and state disagree; best is whole
            Checkpoint.copy(best, last);
            log.printf("repaired %s: its weights and optimizer state were from different saves (the run was killed between writing them); copied %s (iteration %d)%n",
                    last, best, b.step());
            return;
        }
        if (b.step() > l.step()) {
            Checkpoint.copy(best, last);
            log.printf("repaired %s: it was at iteration %d, behind %s at iteration %d (the run was killed between the two writes); copied best over it%n",
                    last, l.step(), best, b.step());
        } else if (l.step() > b.step() && l.bestValLoss() < b.bestValLoss() && l.valLoss() == l.bestValLoss()) {
            Checkpoint.copy(last, best);
            log.printf("repaired %s: it held val loss %.4f from iteration %d, but %s (iteration %d) holds the better %.4f; copied last over it%n",
                    best, b.bestValLoss(), b.step(), last, l.step(), l.bestValLoss());
        }
    }

    /**
     * The sentence naming the newest checkpoint in a run folder that verifies and holds only finite values:
     * "The last good checkpoint is FILE (iteration N)", or "No checkpoint was written yet".
     */
    public static String lastGood(Path dir) {
        Path found = null;
        long step = -1;
        boolean any = false;
        for (Path p : new Path[] {dir.resolve(Trainer.LAST), dir.resolve(Trainer.BEST)}) {
            if (!Files.isRegularFile(p)) continue;
            any = true;
            try {
                Checkpoint ck = Checkpoint.read(p, note -> {});
                if (!finite(ck)) continue;
                if (ck.state().step() > step) {
                    found = p;
                    step = ck.state().step();
                }
            } catch (IOException | RuntimeException e) {
                // corrupt: not a good one
            }
        }
        if (found != null) return "The last good checkpoint is " + found + " (iteration " + step + ")";
        return any ? "No good checkpoint is left in " + dir + " (those there do not verify or hold non-finite values)" : "No checkpoint was written yet";
    }

    private static boolean finite(Checkpoint ck) {
        for (var group : java.util.List.of(ck.model(), ck.optimizer()))
            for (Safetensors.Entry e : group.values())
                for (float v : e.values()) if (!Float.isFinite(v)) return false;
        return true;
    }
}
