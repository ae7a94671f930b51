package dev.nanolab.tornadovm;

import dev.nanolab.tornadovm.kernels.KMemory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import uk.ac.manchester.tornado.api.DataRange;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.TornadoVMBackendType;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The device side of the backend: two arenas (a {@link FloatArray} and an {@link IntArray}) that live on the device
 * for the backend's whole life, and one {@link TornadoExecutionPlan} holding every TaskGraph that runs over them.
 *
 * <p>Graphs of the plan, all of which consume the arenas from the graph run before them and persist them on the
 * device (so the arenas never travel unless asked):
 * <ul>
 *   <li>{@code open}: moves the arenas to the device (the plan's first execution);</li>
 *   <li>four upload graphs (float/int, small/large staging buffer) for {@link #write};</li>
 *   <li>one eager graph per {@link Kernel}, whose arguments travel in a small argument array on every execution;</li>
 *   <li>captured segments: a run of kernel calls recorded from a captured step, one task per call, each reading its
 *       arguments from the segment's own argument array at its own base.</li>
 * </ul>
 *
 * <p>Eager mode runs each call at once ({@link #launch}). Deferred mode (inside a captured step) queues calls; at the
 * next host interaction (a read, a write, the end of the step) the queue is flushed: if a compiled segment has the same
 * kernel sequence, its argument array is refilled from the queue and the whole segment runs in one execution;
 * otherwise the calls run eagerly, and a sequence flushed twice is compiled into a segment when the step ends. Adding
 * segments needs a new plan: the arenas are copied back to the host (up to their high-water marks) and the new plan
 * starts from them.
 *
 * <p>Not thread-safe: a backend is driven by one thread.
 */
final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());
    /** Ints of the eager argument array: the largest call's arguments. */
    static final int EAGER_ARGS = 64;
    static final int SMALL_STAGE = 4096, LARGE_STAGE = 1 << 18;
    /** Most segments compiled per backend; steps beyond run eagerly. */
    static final int MAX_SEGMENTS = 32;
    private static final String FLAGS_OPENCL = "-w";

    private final TornadoDevice device;
    private final String deviceName;
    final FloatArray heap;
    final IntArray iheap;
    private final KernelContext ctx = new KernelContext();
    private final IntArray eagerInts = new IntArray(EAGER_ARGS);
    private final FloatArray eagerFloats = new FloatArray(EAGER_ARGS);
    private final FloatArray stageFSmall = new FloatArray(SMALL_STAGE), stageFLarge = new FloatArray(LARGE_STAGE);
    private final IntArray stageISmall = new IntArray(SMALL_STAGE), stageILarge = new IntArray(LARGE_STAGE);
    private final IntArray uploadDesc = new IntArray(2);

    private TornadoExecutionPlan plan;
    private TornadoExecutionResult last;
    private final int[] eagerGraph = new int[Kernel.values().length];
    private final WorkerGrid[] eagerGrid = new WorkerGrid[Kernel.values().length];
    private int openGraph;
    private WorkerGrid openGrid;
    /** The upload graphs of the current plan (float/int, small/large staging buffer). */
    private Upload upFSmall, upFLarge, upISmall, upILarge;

    private final Map<Signature, Segment> segments = new LinkedHashMap<>();
    private final Map<Signature, Integer> seen = new HashMap<>();
    private final List<List<KernelCall>> toCompile = new ArrayList<>();
    private boolean deferring;
    private List<KernelCall> pending = new ArrayList<>();
    private boolean statusDirty;
    private int highWaterF, highWaterI;
    private boolean closed;

    /** Tasks per captured TaskGraph, from TornadoVM's bytecode budget per graph. */
    private final int tasksPerGraph = tasksPerGraph();

    /** Counters for tests and reports. */
    long eagerLaunches, segmentRuns, segmentCalls, executions, uploads, reads, rebuilds, compiledInBackground;
    /** Wall time of the last background compile. */
    volatile long lastCompileMillis;

    /**
     * Compile captured segments on a background thread (true, {@code -Dnanolab.tornadovm.backgroundCompile=true}) or on
     * their first run inside a step (false, the default: see docs/tornadovm.md §5 for why the background mode is not
     * the default yet).
     */
    boolean backgroundCompile = Boolean.getBoolean("nanolab.tornadovm.backgroundCompile");
    /** No message on the standard error when a background compile is installed. */
    boolean quiet;
    private ExecutorService compilerThread;
    /** Kernels run eagerly so far: their eager graphs are pre-compiled with the segments. */
    private final boolean[] used = new boolean[Kernel.values().length];
    private Future<String> compiling;
    private Built compilingPlan;
    private Map<Signature, Segment> compilingSegments = Map.of();

    Engine(TornadoDevice device, int floatCapacity, int intCapacity) {
        this.device = device;
        this.deviceName = device.getDeviceName();
        this.heap = new FloatArray(floatCapacity);
        this.iheap = new IntArray(intCapacity);
        rebuild();
    }

    /**
     * TornadoVM encodes each TaskGraph twice into fixed buffers: a high-level graph of 8 KiB (not configurable, about
     * 60 bytes per task of ours) and the TornadoVM bytecode of {@code tornado.tvm.maxbytecodesize} bytes (4 KiB by
     * default, about 70 bytes per task), so one graph holds about 60 tasks by default. The backend raises the bytecode
     * size (see {@link TornadoBackend}) and splits captured segments into graphs of at most 64 tasks, fewer if the
     * bytecode budget is smaller.
     */
    static int tasksPerGraph() {
        int budget = 4096;
        try {
            Class<?> builder = Class.forName("uk.ac.manchester.tornado.runtime.graph.TornadoVMBytecodeBuilder");
            budget = builder.getField("MAX_TORNADO_VM_BYTECODE_SIZE").getInt(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            String p = System.getProperty("tornado.tvm.maxbytecodesize");
            if (p != null) {
                try {
                    budget = Integer.parseInt(p.trim());
                } catch (NumberFormatException ignored) {
                    // keep the default
                }
            }
        }
        return Math.max(8, Math.min(64, (budget - 1024) / 100));
    }

    String deviceName() {
        return deviceName;
    }

    TornadoDevice device() {
        return device;
    }

    /** Records how far each arena is used, so a plan rebuild copies only that much back. */
    void highWater(int floats, int ints) {
        highWaterF = Math.max(highWaterF, floats);
        highWaterI = Math.max(highWaterI, ints);
    }

    // ------------------------------------------------------------------ plan

    private static TaskGraph arenas(TaskGraph g, FloatArray heap, IntArray iheap) {
        return g.consumeFromDevice(heap, iheap);
    }

    /**
     * A plan of all graphs, built (task graphs snapshotted, nothing compiled or run yet) but not installed: the graph
     * indices and grids it gives the open, upload, eager and segment graphs are applied by {@link #install}, so a plan
     * can be built and pre-compiled while the current one keeps running.
     */
    private static final class Built {
        TornadoExecutionPlan plan;
        int openGraph;
        WorkerGrid openGrid;
        Upload upFSmall, upFLarge, upISmall, upILarge;
        final int[] eagerGraph = new int[Kernel.values().length];
        final WorkerGrid[] eagerGrid = new WorkerGrid[Kernel.values().length];
        final Map<Segment.Part, Integer> partGraph = new HashMap<>();
        final Map<Segment.Part, WorkerGrid[]> partGrids = new HashMap<>();
    }

    /** Builds a plan of every graph, with the given segments. Changes nothing of the running plan. */
    private Built build(Iterable<Segment> withSegments) {
        Built b = new Built();
        List<ImmutableTaskGraph> graphs = new ArrayList<>();
        GridScheduler gs = new GridScheduler();

        TaskGraph open = new TaskGraph("nlopen")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, heap, iheap)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, eagerInts, eagerFloats)
                .task("t", Kernel.OPEN.entry, ctx, heap, iheap, eagerInts, eagerFloats, 0)
                .persistOnDevice(heap, iheap);
        b.openGrid = grid(gs, "nlopen.t", 1);
        b.openGraph = add(graphs, open);

        b.upFSmall = new Upload(stageFSmall.getSegment(), add(graphs, uploadF("nlupfs", stageFSmall)), grid(gs, "nlupfs.t", 1));
        b.upFLarge = new Upload(stageFLarge.getSegment(), add(graphs, uploadF("nlupfl", stageFLarge)), grid(gs, "nlupfl.t", 1));
        b.upISmall = new Upload(stageISmall.getSegment(), add(graphs, uploadI("nlupis", stageISmall)), grid(gs, "nlupis.t", 1));
        b.upILarge = new Upload(stageILarge.getSegment(), add(graphs, uploadI("nlupil", stageILarge)), grid(gs, "nlupil.t", 1));

        for (Kernel k : Kernel.values()) {
            String name = "nlk" + k.ordinal();
            TaskGraph g = arenas(new TaskGraph(name), heap, iheap)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, eagerInts, eagerFloats)
                    .task("t", k.entry, ctx, heap, iheap, eagerInts, eagerFloats, 0)
                    .persistOnDevice(heap, iheap);
            b.eagerGraph[k.ordinal()] = add(graphs, g);
            b.eagerGrid[k.ordinal()] = grid(gs, name + ".t", k.dims);
        }

        for (Segment s : withSegments) {
            for (Segment.Part part : s.parts) {
                TaskGraph g = arenas(new TaskGraph(part.name), heap, iheap)
                        .transferToDevice(DataTransferMode.EVERY_EXECUTION, part.ints, part.floats);
                WorkerGrid[] grids = new WorkerGrid[part.kernels.length];
                for (int i = 0; i < part.kernels.length; i++) {
                    g.task("t" + i, part.kernels[i].entry, ctx, heap, iheap, part.ints, part.floats, part.bases[i]);
                    grids[i] = grid(gs, part.name + ".t" + i, part.kernels[i].dims);
                }
                g.persistOnDevice(heap, iheap);
                b.partGraph.put(part, add(graphs, g));
                b.partGrids.put(part, grids);
            }
        }

        b.plan = new TornadoExecutionPlan(graphs.toArray(ImmutableTaskGraph[]::new));
        b.plan.withDevice(device);
        b.plan.withGridScheduler(gs);
        b.plan.withCompilerFlags(TornadoVMBackendType.OPENCL, FLAGS_OPENCL);
        return b;
    }

    /**
     * Makes a built plan the running one: the arenas are copied back from the old plan (up to their high-water marks),
     * the old plan closed, and the new plan's first execution moves the arenas to the device again.
     */
    private void install(Built b) {
        if (plan != null) {
            syncArenasToHost();
            closePlan();
            // Closing a plan resets the device context (its queues and events), which TornadoVM refuses to see after a
            // plan was pre-compiled ("reset() was called after warmup()"); the new plan's code is unaffected.
            device.getDeviceContext().setResetToFalse();
        }
        rebuilds++;
        plan = b.plan;
        openGraph = b.openGraph;
        openGrid = b.openGrid;
        upFSmall = b.upFSmall;
        upFLarge = b.upFLarge;
        upISmall = b.upISmall;
        upILarge = b.upILarge;
        System.arraycopy(b.eagerGraph, 0, eagerGraph, 0, eagerGraph.length);
        System.arraycopy(b.eagerGrid, 0, eagerGrid, 0, eagerGrid.length);
        b.partGraph.forEach((part, graph) -> part.graph = graph);
        b.partGrids.forEach((part, grids) -> System.arraycopy(grids, 0, part.grids, 0, grids.length));
        eagerInts.set(0, 1);
        setGrid(openGrid, 1, 1, 1, 1);
        last = plan.withGraph(openGraph).execute();
        executions++;
    }

    /** Builds and installs a plan of all graphs with the current segments (compiled lazily, on first execution). */
    private void rebuild() {
        install(build(segments.values()));
    }

    private TaskGraph uploadF(String name, FloatArray stage) {
        return arenas(new TaskGraph(name), heap, iheap)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, stage, uploadDesc)
                .task("t", KMemory::uploadF, ctx, heap, iheap, stage, uploadDesc)
                .persistOnDevice(heap, iheap);
    }

    private TaskGraph uploadI(String name, IntArray stage) {
        return arenas(new TaskGraph(name), heap, iheap)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, stage, uploadDesc)
                .task("t", KMemory::uploadI, ctx, heap, iheap, stage, uploadDesc)
                .persistOnDevice(heap, iheap);
    }

    private static int add(List<ImmutableTaskGraph> graphs, TaskGraph g) {
        graphs.add(g.snapshot());
        return graphs.size() - 1;
    }

    private static WorkerGrid grid(GridScheduler gs, String task, int dims) {
        WorkerGrid g = dims == 2 ? new WorkerGrid2D(16, 16) : new WorkerGrid1D(KernelCall.WG);
        gs.addWorkerGrid(task, g);
        return g;
    }

    private static void setGrid(WorkerGrid g, int gx, int gy, int lx, int ly) {
        g.setGlobalWork(gx, gy, 1);
        g.setLocalWork(lx, ly, 1);
    }

    private TornadoExecutionResult run(int graph) {
        executions++;
        return plan.withGraph(graph).execute();
    }

    private void syncArenasToHost() {
        if (highWaterF > 0) last.transferToHost(new DataRange(heap).withOffset(0).withSize(Math.min(highWaterF, heap.getSize())));
        if (highWaterI > 0) last.transferToHost(new DataRange(iheap).withOffset(0).withSize(Math.min(highWaterI, iheap.getSize())));
    }

    private void closePlan() {
        try {
            plan.close();
        } catch (TornadoExecutionPlanException e) {
            throw new IllegalStateException("tornadovm: cannot close the execution plan: " + e.getMessage(), e);
        }
        plan = null;
    }

    // ------------------------------------------------------------------ launching

    /** Runs a call now, or queues it in deferred mode. */
    void launch(KernelCall call) {
        checkOpen();
        if (call.kernel() == Kernel.EMBEDDING_LOOKUP || call.kernel() == Kernel.CROSS_ENTROPY_ROWS) statusDirty = true;
        if (deferring) pending.add(call);
        else runEager(call);
    }

    private void runEager(KernelCall c) {
        int[] ia = c.ints();
        float[] fa = c.floats();
        if (ia.length > EAGER_ARGS || fa.length > EAGER_ARGS)
            throw new IllegalStateException("kernel " + c.kernel() + " has too many arguments: " + ia.length);
        for (int i = 0; i < ia.length; i++) eagerInts.set(i, ia[i]);
        for (int i = 0; i < fa.length; i++) eagerFloats.set(i, fa[i]);
        int k = c.kernel().ordinal();
        used[k] = true;
        setGrid(eagerGrid[k], c.globalX(), c.globalY(), c.localX(), c.localY());
        last = run(eagerGraph[k]);
        eagerLaunches++;
    }

    boolean deferring() {
        return deferring;
    }

    /** Starts queueing calls (a captured step begins); installs segments compiled in the background meanwhile. */
    void beginDeferred() {
        checkOpen();
        if (deferring) throw new IllegalStateException("tornadovm: captured steps cannot nest");
        installCompiled();
        deferring = true;
    }

    /** Flushes the queue and stops queueing; compiles the segments this step earned. */
    void endDeferred(boolean compile) {
        try {
            flush();
        } finally {
            deferring = false;
        }
        if (compile && !toCompile.isEmpty()) compileSegments();
    }

    /** Runs every queued call: as a compiled segment when one matches, else one by one. */
    void flush() {
        if (pending.isEmpty()) return;
        List<KernelCall> calls = pending;
        pending = new ArrayList<>();
        Signature sig = Signature.of(calls);
        Segment s = segments.get(sig);
        if (s != null) {
            int at = 0;
            for (Segment.Part part : s.parts) {
                part.fill(calls, at);
                at += part.kernels.length;
                last = run(part.graph);
            }
            segmentRuns++;
            segmentCalls += calls.size();
            return;
        }
        for (KernelCall c : calls) runEager(c);
        if (calls.size() > 1 && seen.merge(sig, 1, Integer::sum) == 2 && segments.size() + toCompile.size() < MAX_SEGMENTS)
            toCompile.add(calls);
    }

    /**
     * Turns the runs of calls flushed twice into segments. In the background mode (opt-in) a plan with them is
     * built and pre-compiled ({@code withPreCompilation}) on a compiler thread while steps keep running eagerly on the
     * current plan; the first captured step that starts after the compile finished installs it ({@link #beginDeferred}).
     * Otherwise the plan is installed at once and TornadoVM compiles each graph when it first runs, inside the next step.
     */
    private void compileSegments() {
        if (compiling != null) return; // one compile at a time: these wait for the next step end after the install
        Map<Signature, Segment> added = new LinkedHashMap<>();
        for (List<KernelCall> calls : toCompile) {
            Signature sig = Signature.of(calls);
            if (!segments.containsKey(sig) && !added.containsKey(sig))
                added.put(sig, new Segment("nls" + (segments.size() + added.size()) + "p", calls, tasksPerGraph));
        }
        toCompile.clear();
        if (added.isEmpty()) return;
        int calls = 0;
        for (Segment s : added.values()) calls += s.calls;
        String what = added.size() + " segment(s) of " + calls + " kernel calls";
        if (!backgroundCompile) {
            segments.putAll(added);
            rebuild();
            LOG.fine(() -> "tornadovm: captured " + what + "; plan rebuilt, compiled on first run");
            return;
        }
        List<Segment> all = new ArrayList<>(segments.values());
        all.addAll(added.values());
        Built next = build(all);
        long t0 = System.nanoTime();
        compilingSegments = added;
        compilingPlan = next;
        // Pre-compile what the new plan will run: the open and upload graphs, the eager graphs of the kernels used so far
        // and the segments. Eager graphs of kernels not used yet compile on their first run, as always.
        List<Integer> graphs = new ArrayList<>(List.of(next.openGraph, next.upFSmall.graph(), next.upFLarge.graph(),
                next.upISmall.graph(), next.upILarge.graph()));
        for (Kernel k : Kernel.values()) if (used[k.ordinal()]) graphs.add(next.eagerGraph[k.ordinal()]);
        graphs.addAll(next.partGraph.values());
        compiling = compiler().submit(() -> {
            for (int g : graphs) next.plan.withGraph(g).withPreCompilation();
            lastCompileMillis = (System.nanoTime() - t0) / 1_000_000;
            return what;
        });
    }

    /** Installs a finished background compile (at the start of a captured step, between kernel calls). */
    private void installCompiled() {
        if (compiling == null || !compiling.isDone()) return;
        Future<String> done = compiling;
        compiling = null;
        Built next = compilingPlan;
        compilingPlan = null;
        segments.putAll(compilingSegments);
        compilingSegments = Map.of();
        try {
            String what = done.get();
            install(next);
            compiledInBackground++;
            if (!quiet)
                System.err.printf("tornadovm: captured %s, compiled in the background in %.1f s while steps ran eagerly%n",
                        what, lastCompileMillis / 1e3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tornadovm: interrupted while installing compiled segments", e);
        } catch (ExecutionException e) {
            // Fall back to compiling on first run, as without the background mode.
            LOG.warning("tornadovm: the background compile failed (" + e.getCause() + "); compiling on first run instead");
            try {
                next.plan.close();
            } catch (TornadoExecutionPlanException | RuntimeException ignored) {
                // the plan never ran
            }
            rebuild();
        }
    }

    /** Waits until a background compile (if any) is done and installs it; for tests and measurements. */
    void awaitCompiled() {
        if (compiling == null) return;
        try {
            compiling.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("tornadovm: interrupted while waiting for the compile", e);
        } catch (ExecutionException e) {
            // installCompiled reports it and falls back
        }
        installCompiled();
    }

    boolean compiling() {
        return compiling != null;
    }

    private ExecutorService compiler() {
        if (compilerThread == null)
            compilerThread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "nanolab-tornadovm-compile");
                t.setDaemon(true);
                return t;
            });
        return compilerThread;
    }

    int segmentCount() {
        return segments.size();
    }

    /** Kernel calls of each compiled segment, in order. */
    List<Integer> segmentSizes() {
        List<Integer> out = new ArrayList<>();
        for (Segment s : segments.values()) out.add(s.calls);
        return out;
    }

    // ------------------------------------------------------------------ host transfers

    /** An upload graph: its staging array's memory, its graph index in the plan and its grid. */
    private record Upload(MemorySegment stage, int graph, WorkerGrid grid) {}

    void write(int dst, float[] src, int srcOffset, int length) {
        write(dst, src, ValueLayout.JAVA_FLOAT, srcOffset, length, upFSmall, upFLarge);
    }

    void write(int dst, int[] src, int srcOffset, int length) {
        write(dst, src, ValueLayout.JAVA_INT, srcOffset, length, upISmall, upILarge);
    }

    /** Copies {@code src} (a float[] or int[] of {@code layout}) to the arena in chunks through the staging arrays. */
    private void write(int dst, Object src, ValueLayout layout, int srcOffset, int length, Upload small, Upload large) {
        checkOpen();
        flush();
        while (length > 0) {
            int n = Math.min(length, LARGE_STAGE);
            Upload up = n <= SMALL_STAGE ? small : large;
            MemorySegment.copy(src, srcOffset, up.stage(), layout, 0, n);
            uploadDesc.set(0, dst);
            uploadDesc.set(1, n);
            int groups = Math.max(1, Math.min(KernelCall.MAX_GROUPS, (n + KernelCall.WG - 1) / KernelCall.WG));
            setGrid(up.grid(), groups * KernelCall.WG, 1, KernelCall.WG, 1);
            last = run(up.graph());
            uploads++;
            dst += n;
            srcOffset += n;
            length -= n;
        }
    }

    void read(int src, float[] dst, int dstOffset, int length) {
        checkOpen();
        flush();
        checkStatus();
        if (length == 0) return;
        last.transferToHost(new DataRange(heap).withOffset(src).withSize(length));
        MemorySegment.copy(heap.getSegment(), ValueLayout.JAVA_FLOAT, (long) src * Float.BYTES, dst, dstOffset, length);
        reads++;
    }

    void read(int src, int[] dst, int dstOffset, int length) {
        checkOpen();
        flush();
        checkStatus();
        if (length == 0) return;
        readInts(src, dst, dstOffset, length);
    }

    private void readInts(int src, int[] dst, int dstOffset, int length) {
        last.transferToHost(new DataRange(iheap).withOffset(src).withSize(length));
        MemorySegment.copy(iheap.getSegment(), ValueLayout.JAVA_INT, (long) src * Integer.BYTES, dst, dstOffset, length);
        reads++;
    }

    /**
     * Throws the first error a kernel reported in the status block (an embedding id or a cross-entropy target out of
     * range) since the last check, and clears it. Flushes queued calls first.
     */
    void checkStatus() {
        if (!statusDirty) return;
        flush();
        statusDirty = false;
        int[] st = new int[4];
        readInts(0, st, 0, 4);
        if (st[KMemory.STATUS_CODE] == 0) return;
        runEager(KernelCall.single(Kernel.FILL_I, KernelCall.ints(0, 4, 0)));
        if (st[KMemory.STATUS_CODE] == KMemory.ERR_EMBEDDING_ID)
            throw new IllegalArgumentException("embedding: id " + st[KMemory.STATUS_VALUE] + " at position "
                    + st[KMemory.STATUS_POSITION] + " is outside the vocabulary [0, " + st[KMemory.STATUS_LIMIT] + ")");
        throw new IllegalArgumentException("crossEntropy: target " + st[KMemory.STATUS_VALUE] + " at row "
                + st[KMemory.STATUS_POSITION] + " is outside the vocabulary [0, " + st[KMemory.STATUS_LIMIT] + ")");
    }

    /** Checks the status block right away when running eagerly (errors surface at the call, as on the CPU). */
    void checkStatusIfEager() {
        if (!deferring) checkStatus();
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("tornadovm backend is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        pending.clear();
        if (compilerThread != null) compilerThread.shutdown();
        if (compiling != null && compiling.isDone()) {
            try {
                compilingPlan.plan.close();
            } catch (TornadoExecutionPlanException | RuntimeException ignored) {
                // never ran
            }
        }
        // A compile still running is left to its daemon thread; its plan never ran and holds no device buffers.
        if (plan != null) closePlan();
    }

    // ------------------------------------------------------------------ segments

    /** The kernel sequence of a run of calls, with each call's argument counts: what a segment can replay. */
    record Signature(int[] code) {
        static Signature of(List<KernelCall> calls) {
            int[] code = new int[calls.size() * 3];
            for (int i = 0; i < calls.size(); i++) {
                KernelCall c = calls.get(i);
                code[3 * i] = c.kernel().ordinal();
                code[3 * i + 1] = c.ints().length;
                code[3 * i + 2] = c.floats().length;
            }
            return new Signature(code);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Signature s && Arrays.equals(code, s.code);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(code);
        }

        @Override
        public String toString() {
            return "Signature[" + code.length / 3 + " calls]";
        }
    }

    /**
     * A compiled run of calls: one task per call, in parts of at most {@code tasksPerGraph} tasks (a TaskGraph's
     * TornadoVM bytecode has a fixed size), each part a TaskGraph whose tasks read their arguments at fixed bases of
     * the part's own argument arrays.
     */
    static final class Segment {
        final List<Part> parts = new ArrayList<>();
        final int calls;

        Segment(String name, List<KernelCall> calls, int tasksPerGraph) {
            this.calls = calls.size();
            for (int from = 0; from < calls.size(); from += tasksPerGraph)
                parts.add(new Part(name + parts.size(), calls.subList(from, Math.min(calls.size(), from + tasksPerGraph))));
        }

        static final class Part {
            final String name;
            final Kernel[] kernels;
            final int[] bases;
            final IntArray ints;
            final FloatArray floats;
            final WorkerGrid[] grids;
            int graph;

            Part(String name, List<KernelCall> calls) {
                this.name = name;
                this.kernels = new Kernel[calls.size()];
                this.bases = new int[calls.size()];
                this.grids = new WorkerGrid[calls.size()];
                int at = 0;
                for (int i = 0; i < calls.size(); i++) {
                    KernelCall c = calls.get(i);
                    kernels[i] = c.kernel();
                    bases[i] = at;
                    at += Math.max(1, Math.max(c.ints().length, c.floats().length));
                }
                this.ints = new IntArray(at);
                this.floats = new FloatArray(at);
            }

            /** Copies the arguments and grids of calls [from, from + tasks) into this part. */
            void fill(List<KernelCall> calls, int from) {
                MemorySegment is = ints.getSegment(), fs = floats.getSegment();
                for (int i = 0; i < kernels.length; i++) {
                    KernelCall c = calls.get(from + i);
                    MemorySegment.copy(c.ints(), 0, is, ValueLayout.JAVA_INT, (long) bases[i] * Integer.BYTES, c.ints().length);
                    MemorySegment.copy(c.floats(), 0, fs, ValueLayout.JAVA_FLOAT, (long) bases[i] * Float.BYTES, c.floats().length);
                    setGrid(grids[i], c.globalX(), c.globalY(), c.localX(), c.localY());
                }
            }
        }
    }
}
