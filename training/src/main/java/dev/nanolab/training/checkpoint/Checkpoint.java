package dev.nanolab.training.checkpoint;

import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a run exactly, as a pair of safetensors files written together:
 * <ul>
 *   <li>{@code NAME.safetensors}: the weights, the model's parameters and buffers under their own names (so any
 *       safetensors reader, and {@code nanolab export}, can use them; a user can hand this file to anyone), and in
 *       the metadata the step, the config, the generators' states, the tokenizer and the best validation loss;</li>
 *   <li>{@code NAME.state.safetensors}: the optimizer state under {@code optimizer.<name>}, needed only to resume.</li>
 * </ul>
 * Both carry the same {@code pair_id}, so a state file is never used with weights from another save.
 *
 * <p>Written atomically: each file to a temporary file beside its target, both synced, then the state renamed over
 * its target and the weights over theirs, so a crash or a full disk before the renames leaves the previous pair
 * whole. (A kill in the instant between the two renames leaves a state file newer than its weights; reading says so,
 * naming both files.)
 *
 * <p>Self-verifying: each file's metadata holds a CRC32C of every tensor ({@code tensor_crc32c}, a JSON map from
 * tensor name to 8 hex digits) and one of the other metadata ({@code metadata_crc32c}); {@link #read} checks them all
 * and names the file and the first tensor that does not match. Older checkpoints still load: the single-file layout
 * ({@code nanolab-checkpoint-1}, optimizer tensors inside), and those written before checksums existed (with a note
 * that they could not be verified).
 */
public record Checkpoint(Map<String, Safetensors.Entry> model, Map<String, Safetensors.Entry> optimizer, State state) {
    /** The single-file layout of older nanolabs (weights and optimizer state in one file), still read. */
    public static final String FORMAT = "nanolab-checkpoint-1";
    /** The weights file of a pair, and its optimizer-state file. */
    public static final String WEIGHTS_FORMAT = "nanolab-checkpoint-2", STATE_FORMAT = "nanolab-checkpoint-state-1";
    private static final String OPTIMIZER_PREFIX = "optimizer.", PAIR_ID = "pair_id";

    /** The optimizer-state file beside a weights file: {@code last.safetensors} → {@code last.state.safetensors}. */
    public static Path stateFile(Path weights) {
        String name = weights.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return weights.resolveSibling(stem + ".state.safetensors");
    }

    /**
     * The metadata of a checkpoint.
     *
     * @param step            the next optimizer step to run
     * @param configYaml      the run's config
     * @param architecture    the model component's name
     * @param vocabSize       the model's vocabulary size
     * @param tokenizer       the tokenizer component's name
     * @param fingerprint     the tokenizer's fingerprint
     * @param tokenizerState  the tokenizer's full state
     * @param batchRng        the batch sampler's generator state
     * @param dropoutRng      the dropout generator's state
     * @param bestValLoss     the best validation loss so far (NaN before the first evaluation)
     * @param valLoss         the validation loss of these weights (NaN when unknown: written by an older nanolab)
     * @param skippedSteps    steps skipped so far for a non-finite loss or gradient ({@code train.skip_non_finite})
     */
    public record State(long step, String configYaml, String architecture, int vocabSize, String tokenizer,
                        String fingerprint, byte[] tokenizerState, long batchRng, long dropoutRng, double bestValLoss,
                        double valLoss, long skippedSteps) {
        public State(long step, String configYaml, String architecture, int vocabSize, String tokenizer,
                     String fingerprint, byte[] tokenizerState, long batchRng, long dropoutRng, double bestValLoss) {
            this(step, configYaml, architecture, vocabSize, tokenizer, fingerprint, tokenizerState, batchRng, dropoutRng,
                    bestValLoss, Double.NaN, 0);
        }
    }

    /** The metadata keys of the checksums. */
    public static final String TENSOR_CRC = "tensor_crc32c", METADATA_CRC = "metadata_crc32c";

    /** The tensors a checkpoint holds of a model: its parameters, then its buffers, by name. */
    public static Map<String, Tensor> modelTensors(LanguageModel model) {
        Map<String, Tensor> all = new LinkedHashMap<>(model.namedParameters());
        all.putAll(model.namedBuffers());
        return all;
    }

    /** Host copies of named tensors. */
    public static Map<String, Safetensors.Entry> copy(Map<String, Tensor> tensors) {
        Map<String, Safetensors.Entry> out = new LinkedHashMap<>();
        tensors.forEach((name, t) -> out.put(name, new Safetensors.Entry(t.shape().dims(), t.toFloatArray())));
        return out;
    }

    /** Opens the stream a checkpoint is written through; tests substitute one that fails like a full disk. */
    @FunctionalInterface
    public interface Sink {
        OutputStream open(Path file) throws IOException;
    }

    public static final Sink FILES = file -> Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);

    /**
     * Writes atomically to {@code target}.
     *
     * @throws IOException naming the target; the previous file at target is untouched
     */
    public void write(Path target, Sink sink) throws IOException {
        String pair = java.util.UUID.randomUUID().toString();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", WEIGHTS_FORMAT);
        meta.put(PAIR_ID, pair);
        meta.put("step", Long.toString(state.step()));
        meta.put("config", state.configYaml());
        meta.put("architecture", state.architecture());
        meta.put("vocab_size", Integer.toString(state.vocabSize()));
        meta.put("tokenizer", state.tokenizer());
        meta.put("tokenizer_fingerprint", state.fingerprint());
        meta.put("tokenizer_state", Base64.getEncoder().encodeToString(state.tokenizerState()));
        meta.put("rng_batches", Long.toString(state.batchRng()));
        meta.put("rng_dropout", Long.toString(state.dropoutRng()));
        meta.put("best_val_loss", Double.toString(state.bestValLoss()));
        meta.put("val_loss", Double.toString(state.valLoss()));
        meta.put("skipped_steps", Long.toString(state.skippedSteps()));
        Map<String, Safetensors.Entry> opt = new LinkedHashMap<>();
        optimizer.forEach((k, v) -> opt.put(OPTIMIZER_PREFIX + k, v));
        Map<String, String> stateMeta = new LinkedHashMap<>();
        stateMeta.put("format", STATE_FORMAT);
        stateMeta.put(PAIR_ID, pair);
        stateMeta.put("step", Long.toString(state.step()));
        Path stateTarget = stateFile(target);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp"), stateTmp = stateTarget.resolveSibling(stateTarget.getFileName() + ".tmp");
        try {
            writeSynced(stateTmp, opt, withCrcs(stateMeta, opt), sink);
            writeSynced(tmp, model, withCrcs(meta, model), sink);
            Files.move(stateTmp, stateTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            Files.deleteIfExists(stateTmp);
            throw new IOException("could not write checkpoint " + target + ": " + e.getMessage()
                    + (Files.exists(target) ? "; the previous checkpoint there is intact" : ""), e);
        } catch (RuntimeException | Error e) {
            Files.deleteIfExists(tmp); // no temporary file outlives a failed write (a kill leaves one: RunLock removes it)
            Files.deleteIfExists(stateTmp);
            throw e;
        }
    }

    private static Map<String, String> withCrcs(Map<String, String> meta, Map<String, Safetensors.Entry> tensors) throws IOException {
        meta.put(METADATA_CRC, metadataCrc(meta));
        meta.put(TENSOR_CRC, tensorCrcs(tensors));
        return meta;
    }

    private static void writeSynced(Path tmp, Map<String, Safetensors.Entry> tensors, Map<String, String> meta, Sink sink) throws IOException {
        try (OutputStream out = sink.open(tmp)) {
            Safetensors.write(out, tensors, meta);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IOException naming the file when it is missing, not a nanolab checkpoint, or corrupt
     */
    public static Checkpoint read(Path file) throws IOException {
        return read(file, note -> System.err.println("nanolab: note: " + note));
    }

    /**
     * Reads a checkpoint, verifying its checksums; {@code notes} hears that an older checkpoint without them was
     * loaded unverified.
     *
     * @throws IOException naming the file (and the tensor) when it is missing, not a nanolab checkpoint, or corrupt
     */
    public static Checkpoint read(Path file, java.util.function.Consumer<String> notes) throws IOException {
        if (Files.isDirectory(file)) throw new IOException("checkpoint " + file + " is a folder, not a checkpoint file (give a .safetensors file in it, e.g. "
                + file.resolve("best.safetensors") + ")");
        if (!Files.exists(file)) throw new IOException("checkpoint " + file + " does not exist");
        if (!Files.isRegularFile(file)) throw new IOException("checkpoint " + file + " is not a regular file");
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> m = c.metadata();
        String format = m.get("format");
        if (!FORMAT.equals(format) && !WEIGHTS_FORMAT.equals(format))
            throw new IOException(file + " is not a nanolab checkpoint (metadata format is " + format + ")");
        verify(file, c, notes);
        Map<String, Safetensors.Entry> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER_PREFIX) && FORMAT.equals(format)) opt.put(k.substring(OPTIMIZER_PREFIX.length()), v);
            else model.put(k, v);
        });
        Path stateFile = stateFile(file);
        if (WEIGHTS_FORMAT.equals(format) && Files.isRegularFile(stateFile)) {
            Safetensors.Contents sc = Safetensors.read(stateFile);
            if (!STATE_FORMAT.equals(sc.metadata().get("format")))
                throw new IOException(stateFile + " is not a nanolab optimizer state (metadata format is " + sc.metadata().get("format") + ")");
            verify(stateFile, sc, notes);
            if (!java.util.Objects.equals(sc.metadata().get(PAIR_ID), m.get(PAIR_ID)))
                throw new IOException("checkpoint " + file + " and its optimizer state " + stateFile.getFileName()
                        + " are from different saves (the run was stopped between writing the two); resume from the other checkpoint of the run");
            sc.tensors().forEach((k, v) -> opt.put(k.startsWith(OPTIMIZER_PREFIX) ? k.substring(OPTIMIZER_PREFIX.length()) : k, v));
        }
        try {
            State s = new State(Long.parseLong(m.get("step")), m.get("config"), m.get("architecture"),
                    Integer.parseInt(m.get("vocab_size")), m.get("tokenizer"), m.get("tokenizer_fingerprint"),
                    Base64.getDecoder().decode(m.get("tokenizer_state")), Long.parseLong(m.get("rng_batches")),
                    Long.parseLong(m.get("rng_dropout")), Double.parseDouble(m.get("best_val_loss")),
                    m.containsKey("val_loss") ? Double.parseDouble(m.get("val_loss")) : Double.NaN,
                    m.containsKey("skipped_steps") ? Long.parseLong(m.get("skipped_steps")) : 0);
            return new Checkpoint(model, opt, s);
        } catch (RuntimeException e) {
            throw new IOException(file + " has incomplete or corrupt checkpoint metadata: " + e.getMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** CRC32C over the metadata entries (key, value, each NUL-terminated) in order, the checksums excluded. */
    static String metadataCrc(Map<String, String> meta) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        meta.forEach((k, v) -> {
            if (k.equals(METADATA_CRC) || k.equals(TENSOR_CRC)) return;
            crc.update((k + "\0" + v + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        return String.format("%08x", (int) crc.getValue());
    }

    private static String tensorCrcs(Map<String, Safetensors.Entry> tensors) throws IOException {
        var node = JSON.createObjectNode();
        tensors.forEach((k, v) -> node.put(k, String.format("%08x", Safetensors.crc32c(v.values()))));
        return JSON.writeValueAsString(node);
    }

    /** Checks the metadata and every tensor against the checksums the file carries. */
    private static void verify(Path file, Safetensors.Contents c, java.util.function.Consumer<String> notes) throws IOException {
        Map<String, String> m = c.metadata();
        String tensorCrc = m.get(TENSOR_CRC), metaCrc = m.get(METADATA_CRC);
        if (tensorCrc == null && metaCrc == null) {
            notes.accept(file + " has no checksums (written by an older nanolab): loaded without verifying it");
            return;
        }
        if (metaCrc == null || !metaCrc.equals(metadataCrc(m)))
            throw new IOException("checkpoint " + file + " is corrupt: its metadata does not match its checksum");
        if (tensorCrc == null) throw new IOException("checkpoint " + file + " is corrupt: its tensor checksums are missing");
        com.fasterxml.jackson.databind.JsonNode crcs;
        try {
            crcs = JSON.readTree(tensorCrc);
        } catch (IOException e) {
            throw new IOException("checkpoint " + file + " is corrupt: its tensor checksums do not parse");
        }
        for (var e : c.tensors().entrySet()) {
            String want = crcs.path(e.getKey()).asText(null);
            if (want == null) throw new IOException("checkpoint " + file + " is corrupt: tensor " + e.getKey() + " has no checksum");
            if (!want.equals(String.format("%08x", Safetensors.crc32c(e.getValue().values()))))
                throw new IOException("checkpoint " + file + " is corrupt: tensor " + e.getKey() + " does not match its checksum");
        }
        for (var it = crcs.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!c.tensors().containsKey(name)) throw new IOException("checkpoint " + file + " is corrupt: tensor " + name + " is missing");
        }
    }

    /**
     * Copies a checkpoint file atomically (verifying it first): how a resume brings {@code best} or {@code last} up to
     * the other.
     */
    public static void copy(Path from, Path to) throws IOException {
        read(from, note -> {});
        if (Files.isRegularFile(stateFile(from))) copyFile(stateFile(from), stateFile(to));
        copyFile(from, to);
    }

    private static void copyFile(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        try {
            Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("could not copy checkpoint " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the saved weights into a model's tensors, which must match name for name and shape for shape.
     *
     * @throws IllegalArgumentException naming the first tensor that differs (another architecture or size)
     */
    public static void load(Map<String, Safetensors.Entry> saved, Map<String, Tensor> into, String what) {
        for (var e : into.entrySet()) {
            Safetensors.Entry s = saved.get(e.getKey());
            if (s == null)
                throw new IllegalArgumentException(what + " has no tensor " + e.getKey() + ": it is from another architecture or config");
            if (!java.util.Arrays.equals(s.shape(), e.getValue().shape().dims()))
                throw new IllegalArgumentException(what + ": tensor " + e.getKey() + " has shape " + java.util.Arrays.toString(s.shape())
                        + " but the model's is " + e.getValue().shape() + " (another model size or vocabulary)");
            e.getValue().set(s.values());
        }
        for (String k : saved.keySet())
            if (!into.containsKey(k)) throw new IllegalArgumentException(what + " has a tensor " + k + " the model does not: it is from another architecture or config");
    }
}
