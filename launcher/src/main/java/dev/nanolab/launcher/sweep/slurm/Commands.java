package dev.nanolab.launcher.sweep.slurm;

import dev.nanolab.launcher.NanolabException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Slurm's client commands (sbatch, squeue, sacct, scancel) and captures what they print. */
final class Commands {
    record Output(int code, String out, String err) {
        boolean ok() {
            return code == 0;
        }

        /** stderr's last line, or stdout's, for messages. */
        String why() {
            String s = err.isBlank() ? out : err;
            return s.strip().lines().reduce((a, b) -> b).orElse("exit " + code);
        }
    }

    private Commands() {}

    static Output run(List<String> cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new NanolabException("--executor slurm runs Slurm's " + cmd.getFirst() + ", which is not on PATH here (" + e.getMessage()
                    + "): run compare on a login node of the cluster");
        }
        p.getOutputStream().close();
        // Both outputs are small; read stderr on a thread of its own so that neither pipe fills.
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                err.complete(e.getMessage());
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not answer in 2 minutes");
        }
        t.join();
        return new Output(p.exitValue(), out, err.join());
    }
}
