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
 * Everything needed to continue a run exactly, in one safetensors file: the model's parameters and buffers under their
 * own names (so other tools can read the weights), the optimizer state under {@code optimizer.<name>}, and in the
 * metadata the step, the config, the generators' states, the tokenizer and the best validation loss.
 *
 * <p>Written atomically: to a temporary file beside the target, synced, then renamed over it, so a crash or a full
 * disk leaves the previous checkpoint whole.
 */
public record Checkpoint(Map<String, Safetensors.Entry> model, Map<String, Safetensors.Entry> optimizer, State state) {
    public static final String FORMAT = "nanolab-checkpoint-1";
    private static final String OPTIMIZER_PREFIX = "optimizer.";

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
     */
    public record State(long step, String configYaml, String architecture, int vocabSize, String tokenizer,
                        String fingerprint, byte[] tokenizerState, long batchRng, long dropoutRng, double bestValLoss) {}

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
        Map<String, Safetensors.Entry> all = new LinkedHashMap<>(model);
        optimizer.forEach((k, v) -> all.put(OPTIMIZER_PREFIX + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
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
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = sink.open(tmp)) {
                Safetensors.write(out, all, meta);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("could not write checkpoint " + target + ": " + e.getMessage()
                    + (Files.exists(target) ? "; the previous checkpoint there is intact" : ""), e);
        }
    }

    /**
     * Reads a checkpoint.
     *
     * @throws IOException naming the file when it is missing, not a nanolab checkpoint, or corrupt
     */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("checkpoint " + file + " does not exist");
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> m = c.metadata();
        if (!FORMAT.equals(m.get("format")))
            throw new IOException(file + " is not a nanolab checkpoint (metadata format is " + m.get("format") + ")");
        Map<String, Safetensors.Entry> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        c.tensors().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER_PREFIX)) opt.put(k.substring(OPTIMIZER_PREFIX.length()), v);
            else model.put(k, v);
        });
        try {
            State s = new State(Long.parseLong(m.get("step")), m.get("config"), m.get("architecture"),
                    Integer.parseInt(m.get("vocab_size")), m.get("tokenizer"), m.get("tokenizer_fingerprint"),
                    Base64.getDecoder().decode(m.get("tokenizer_state")), Long.parseLong(m.get("rng_batches")),
                    Long.parseLong(m.get("rng_dropout")), Double.parseDouble(m.get("best_val_loss")));
            return new Checkpoint(model, opt, s);
        } catch (RuntimeException e) {
            throw new IOException(file + " has incomplete or corrupt checkpoint metadata: " + e.getMessage(), e);
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
