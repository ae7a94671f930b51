package dev.nanolab.launcher.sweep;

import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.sweep.RunSpec;
import dev.nanolab.api.sweep.RunState;
import dev.nanolab.api.sweep.RunStatus;
import dev.nanolab.api.sweep.Sweep;
import dev.nanolab.api.sweep.SweepExecutor;
import dev.nanolab.api.sweep.SweepSpec;
import dev.nanolab.launcher.NanolabException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code local} executor: each run is a child {@code nanolab train} process of this one, {@code maxRunning} at a
 * time, its output in {@code RUN/train.log}. The runs end with this process, so a local sweep cannot be detached.
 */
public final class LocalExecutor implements SweepExecutor {
    public LocalExecutor() {}

    /** The constructor a component registration would call; the local executor has no options. */
    public LocalExecutor(NoOptions options) {
        this();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public boolean runsHere() {
        return true;
    }

    @Override
    public Sweep submit(SweepSpec sweep, PrintStream log) {
        if (sweep.maxRunning() < 1) throw new NanolabException("the local executor needs a number of runs at a time, got " + sweep.maxRunning());
        LocalSweep s = new LocalSweep(sweep, log);
        s.start(sweep.runs());
        return s;
    }

    @Override
    public Sweep attach(SweepSpec sweep, PrintStream log) {
        throw new NanolabException("the sweep in " + sweep.folder() + " ran with the local executor, whose runs end with the compare that "
                + "started them, so there is nothing to collect: run compare again (--executor slurm --detach submits runs that outlive it)");
    }

    private static final class LocalSweep implements Sweep {
        private final SweepSpec spec;
        private final PrintStream out;
        private final AtomicReferenceArray<RunStatus> states;
        private final List<Future<RunStatus>> futures = new ArrayList<>();
        private final AtomicInteger done = new AtomicInteger();
        private final java.util.Set<Integer> again = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private ExecutorService pool;

        LocalSweep(SweepSpec spec, PrintStream out) {
            this.spec = spec;
            this.out = out;
            this.states = new AtomicReferenceArray<>(spec.runs().size());
            for (int i = 0; i < spec.runs().size(); i++) states.set(i, new RunStatus(spec.runs().get(i), RunState.QUEUED, ""));
            futures.addAll(java.util.Collections.nCopies(spec.runs().size(), null));
        }

        void start(List<RunSpec> runs) {
            if (pool == null || pool.isShutdown()) pool = Executors.newFixedThreadPool(spec.maxRunning());
            for (RunSpec r : runs) {
                int i = spec.runs().indexOf(r);
                states.set(i, new RunStatus(r, RunState.QUEUED, ""));
                futures.set(i, pool.submit(() -> train(i)));
            }
        }

        @Override
        public String id() {
            return "local";
        }

        @Override
        public List<RunStatus> status() {
            List<RunStatus> out = new ArrayList<>();
            for (int i = 0; i < states.length(); i++) out.add(states.get(i));
            return out;
        }

        @Override
        public List<RunStatus> await() throws InterruptedException {
            try {
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        futures.get(i).get();
                    } catch (ExecutionException e) {
                        states.set(i, new RunStatus(spec.runs().get(i), RunState.FAILED, String.valueOf(e.getCause())));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            return status();
        }

        @Override
        public void cancel() {
            if (pool != null) pool.shutdownNow();
        }

        @Override
        public void resubmit(List<RunSpec> runs) {
            done.set(spec.runs().size() - runs.size());
            for (RunSpec r : runs) again.add(spec.runs().indexOf(r));
            start(runs);
        }

        /** One child {@code nanolab train}; its output goes to DIR/train.log. */
        private RunStatus train(int i) throws IOException, InterruptedException {
            RunSpec p = spec.runs().get(i);
            int total = spec.runs().size();
            List<String> cmd = spec.trainCommand(p, again.contains(i) && Files.exists(p.dir().resolve("last.safetensors")));
            long t0 = System.nanoTime();
            synchronized (out) {
                out.printf("  start  %s -> %s%n", p.name(), p.dir());
            }
            states.set(i, new RunStatus(p, RunState.RUNNING, ""));
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(p.log().toFile()).start();
            int code;
            try {
                code = proc.waitFor();
            } catch (InterruptedException e) {
                proc.destroyForcibly();
                states.set(i, new RunStatus(p, RunState.FAILED, "cancelled"));
                throw e;
            }
            double min = (System.nanoTime() - t0) / 6e10;
            int n = done.incrementAndGet();
            RunStatus s;
            if (code == 0) {
                synchronized (out) {
                    out.printf(Locale.ROOT, "  [%d/%d] %s: done in %.1f min%n", n, total, p.name(), min);
                }
                s = new RunStatus(p, RunState.DONE, "");
            } else {
                String tail = Logs.tail(p.log(), 5);
                synchronized (out) {
                    out.printf(Locale.ROOT, "  [%d/%d] %s: FAILED (exit %d) after %.1f min: %s%n", n, total, p.name(), code, min,
                            tail.lines().reduce((a, b) -> b).orElse(""));
                }
                s = new RunStatus(p, RunState.FAILED, "exit " + code + ": " + tail);
            }
            states.set(i, s);
            return s;
        }
    }
}
