package dev.nanolab.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.attention.AttentionVariant;
import dev.nanolab.api.backend.Backend;
import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.NoOptions;
import dev.nanolab.api.model.Architecture;
import dev.nanolab.api.model.LanguageModel;
import dev.nanolab.api.model.ModelContext;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.tensor.GradMode;
import dev.nanolab.api.tensor.Rng;
import dev.nanolab.api.tensor.Tensor;
import dev.nanolab.api.tensor.TensorScope;
import dev.nanolab.api.tokenizer.Tokenizer;
import dev.nanolab.api.tokenizer.TokenizerFactory;
import dev.nanolab.cpu.CpuBackendFactory;
import dev.nanolab.models.gpt.GptConfig;
import dev.nanolab.tokenizers.huggingface.HfConfig;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.checkpoint.CheckpointModel;
import dev.nanolab.training.checkpoint.Safetensors;
import dev.nanolab.training.config.RunConfig;
import dev.nanolab.training.hf.HfExport;
import dev.nanolab.training.hf.HfInit;
import dev.nanolab.training.hf.HfTokenizerFiles;
import dev.nanolab.training.train.Trainer;
import dev.nanolab.training.train.TrainingRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hugging Face GPT-2 in and out: a folder written in HF's names and layout loads into gpt with the logits of GPT-2's
 * forward pass computed independently in double precision; shards, vocab.json + merges.txt and crop_block_size; a
 * trained checkpoint exports to HF's layout and imports back with identical logits.
 */
class HfGpt2Test {
    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
    private static final int[] IDS = {256 + 2, 5, 77, 256, 116, 104, 101, 32, 259, 40, 13, 261};

    private static ComponentRef<AttentionVariant> attention(String name) {
        return Fixtures.ref(ComponentKind.ATTENTION, name, new NoOptions());
    }

    private static Backend backend() {
        return Fixtures.ref(ComponentKind.BACKEND, "cpu", new CpuBackendFactory.Config(2, false)).create(Fixtures.REGISTRY).open();
    }

    private static LanguageModel gpt(Backend be, int layers, int heads, int embd, int block, int vocab, boolean bias) {
        Architecture arch = Fixtures.ref(ComponentKind.ARCHITECTURE, "gpt",
                new GptConfig(layers, heads, embd, block, vocab, 0f, bias, attention("softmax"))).create(Fixtures.REGISTRY);
        return arch.build(new ModelContext(be, vocab, Fixtures.REGISTRY, new Rng(1), new Rng(2)));
    }

    static float[][] logits(LanguageModel m, int[] ids) {
        var be = m.namedParameters().values().iterator().next().backend();
        m.eval();
        try (GradMode.Scope ng = GradMode.disabled(); TensorScope s = TensorScope.open()) {
            float[] flat = m.logits(Tensor.ofInts(be, ids, 1, ids.length)).toFloatArray();
            int v = flat.length / ids.length;
            float[][] out = new float[ids.length][v];
            for (int i = 0; i < ids.length; i++) System.arraycopy(flat, i * v, out[i], 0, v);
            return out;
        }
    }

    static double maxDiff(float[][] a, double[][] b, int rows) {
        double d = 0;
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < b[i].length; j++) d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
        return d;
    }

    private static double maxAbs(double[][] a) {
        double m = 0;
        for (double[] r : a) for (double v : r) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Test
    void aHuggingFaceFolderLoadsWithTheLogitsOfGpt2sForwardPass() throws IOException {
        HfGpt2Folder hf = new HfGpt2Folder(2, 2, 16, 12, 42);
        Path folder = hf.write(dir.resolve("gpt2-tiny"));
        double[][] want = hf.logits(IDS);
        assertThat(maxAbs(want)).as("the reference is not trivially small").isGreaterThan(1);
        try (Backend be = backend()) {
            LanguageModel m = gpt(be, 2, 2, 16, 12, hf.vocab, true);
            HfInit.open(folder).loadInto(m);
            assertThat(maxDiff(logits(m, IDS), want, IDS.length)).isLessThan(1e-4);
        }
    }

    @Test
    void shardsWithAnIndexAndVocabJsonWithMergesTxtLoad() throws IOException {
        HfGpt2Folder hf = new HfGpt2Folder(2, 4, 16, 12, 43);
        Path folder = hf.writeSharded(dir.resolve("sharded"));
        assertThat(folder.resolve("model.safetensors")).doesNotExist();
        try (Backend be = backend()) {
            LanguageModel m = gpt(be, 2, 4, 16, 12, hf.vocab, true);
            HfInit.open(folder).loadInto(m);
            assertThat(maxDiff(logits(m, IDS), hf.logits(IDS), IDS.length)).isLessThan(1e-4);
        }
        // vocab.json + merges.txt become the tokenizer.json the hf tokenizer reads: the same ids as the tiny tokenizer.json
        TokenizerFactory hfTok = Fixtures.ref(ComponentKind.TOKENIZER, "hf", new HfConfig("")).create(Fixtures.REGISTRY);
        Tokenizer fromPair = hfTok.load(HfInit.open(folder).tokenizerJson());
        Tokenizer fromJson = hfTok.load(HfGpt2Folder.tokenizerJson());
        String text = "the theory in there, then re-in";
        assertThat(fromPair.encode(text)).containsExactly(fromJson.encode(text));
        assertThat(fromJson.encode(" the")).containsExactly(256 + 2);
        assertThat(fromPair.vocabSize()).isEqualTo(HfGpt2Folder.VOCAB);
    }

    @Test
    void aSmallerBlockSizeCropsThePositionEmbeddings() throws IOException {
        HfGpt2Folder hf = new HfGpt2Folder(1, 2, 8, 12, 44);
        Path folder = hf.write(dir.resolve("crop"));
        int[] ids = java.util.Arrays.copyOf(IDS, 5);
        try (Backend be = backend()) {
            LanguageModel m = gpt(be, 1, 2, 8, 5, hf.vocab, true);
            HfInit.open(folder).loadInto(m);
            assertThat(m.namedParameters().get("transformer.wpe.weight").shape().dims()).containsExactly(5, 8);
            assertThat(maxDiff(logits(m, ids), hf.logits(IDS), 5)).isLessThan(1e-4);
            LanguageModel tooLong = gpt(be, 1, 2, 8, 13, hf.vocab, true);
            assertThatThrownBy(() -> HfInit.open(folder).loadInto(tooLong)).hasMessageContaining("block_size 13 is larger than the model's n_positions 12");
        }
    }

    @Test
    void initFromAFolderConfiguresTheModelAndTokenizer() throws IOException {
        HfGpt2Folder hf = new HfGpt2Folder(3, 2, 8, 12, 45);
        Path folder = hf.write(dir.resolve("cfg"));
        ObjectNode tree = HfGpt2Folder.JSON.createObjectNode();
        tree.put("init_from", folder.toString());
        tree.putObject("model").put("name", "gpt").put("block_size", 8).put("dropout", 0.1).put("n_layer", 9);
        HfInit.configure(tree);
        JsonNode model = tree.get("model");
        assertThat(model.get("n_layer").asInt()).isEqualTo(3);
        assertThat(model.get("n_embd").asInt()).isEqualTo(8);
        assertThat(model.get("block_size").asInt()).as("cropped to the configured block_size").isEqualTo(8);
        assertThat(model.get("vocab_size").asInt()).isEqualTo(HfGpt2Folder.VOCAB);
        assertThat(model.get("bias").asBoolean()).isTrue();
        assertThat(model.get("dropout").asDouble()).isEqualTo(0.1);
        assertThat(tree.get("tokenizer").get("name").asText()).isEqualTo("hf");
        assertThat(tree.get("tokenizer").get("path").asText()).isEqualTo(folder.resolve("tokenizer.json").toAbsolutePath().toString());

        ObjectNode other = HfGpt2Folder.JSON.createObjectNode().put("init_from", hf.writeSharded(dir.resolve("pair")).toString()).put("model", "lstm");
        other.putObject("data").put("dir", dir.resolve("data").toString());
        HfInit.configure(other);
        assertThat(other.get("model").get("block_size").asInt()).isEqualTo(12);
        Path made = Path.of(other.get("tokenizer").get("path").asText());
        assertThat(made).startsWith(dir.resolve("data")).isRegularFile();

        ObjectNode scratch = HfGpt2Folder.JSON.createObjectNode().put("init_from", "scratch");
        assertThat(HfInit.configure(scratch).has("model")).isFalse();
    }

    @Test
    void unusableFoldersAreRefusedInOneLineNamingTheFileAndKey() throws IOException {
        HfGpt2Folder hf = new HfGpt2Folder(1, 2, 8, 12, 46);
        Path relu = hf.write(dir.resolve("relu"));
        ObjectNode cfg = hf.configJson().put("activation_function", "relu");
        Files.write(relu.resolve("config.json"), HfGpt2Folder.JSON.writeValueAsBytes(cfg));
        assertThatThrownBy(() -> HfInit.open(relu)).hasMessage(relu.resolve("config.json")
                + ": activation_function is relu; nanolab's gpt computes gelu_new (the tanh GELU) only");

        Path sharded = hf.writeSharded(dir.resolve("missing-shard"));
        Files.delete(sharded.resolve("model-00002-of-00002.safetensors"));
        assertThatThrownBy(() -> HfInit.open(sharded).weights(12)).hasMessageContaining("names shard model-00002-of-00002.safetensors, which is not a file in");

        Path untied = hf.write(dir.resolve("untied"));
        Map<String, Safetensors.Entry> t = new java.util.LinkedHashMap<>(Safetensors.read(untied.resolve("model.safetensors")).tensors());
        t.put("lm_head.weight", new Safetensors.Entry(t.get("wte.weight").shape(), new float[t.get("wte.weight").values().length]));
        try (var out = Files.newOutputStream(untied.resolve("model.safetensors"))) {
            Safetensors.write(out, t, Map.of("format", "pt"));
        }
        assertThatThrownBy(() -> HfInit.open(untied).weights(12)).hasMessageContaining("lm_head.weight differs from transformer.wte.weight").hasMessageNotContaining("\n");

        assertThatThrownBy(() -> HfInit.open(dir.resolve("nowhere"))).hasMessageContaining("init_from " + dir.resolve("nowhere") + " is not a folder");
    }

    /** A tiny run on tiny-text with the hf tokenizer of the folder and its weights as the start. */
    private RunConfig fineTune(HfGpt2Folder hf, Path folder, long iters) {
        RunConfig base = Fixtures.config(dir.resolve("ft"), iters, Math.max(1, iters), 3e-3, "softmax");
        var tok = Fixtures.ref(ComponentKind.TOKENIZER, "hf", new HfConfig(folder.resolve("tokenizer.json").toString()));
        var model = Fixtures.ref(ComponentKind.ARCHITECTURE, "gpt", new GptConfig(hf.nLayer, hf.nHead, hf.nEmbd, hf.nPositions, hf.vocab, 0f, true, attention("softmax")));
        return new RunConfig(base.seed(), base.outDir(), base.dataset(), tok, base.data(), model, base.optimizer(), base.paramGroups(),
                base.schedule(), base.backend(), base.train(), base.sample(), List.of(), base.metrics(), folder.toString());
    }

    @Test
    void trainingFromAFolderStartsFromItsWeightsAndFineTunes() throws IOException {
        HfGpt2Folder hf = new HfGpt2Folder(2, 2, 16, 12, 47);
        Path folder = hf.write(dir.resolve("ft-src"));
        RunConfig c = fineTune(hf, folder, 12);
        try (TrainingRun run = TrainingRun.open(c, "init_from: " + folder + "\n", Fixtures.REGISTRY, quiet)) {
            assertThat(maxDiff(logits(run.model(), IDS), hf.logits(IDS), IDS.length)).isLessThan(1e-4);
            run.model().train();
            new Trainer(run, Path.of(c.outDir()), quiet).run(false);
        }
        List<JsonNode> evals = TrainerTest.metrics(Path.of(c.outDir()), "eval");
        assertThat(evals.get(evals.size() - 1).get("val_loss").asDouble()).isLessThan(evals.get(0).get("val_loss").asDouble());
    }

    @Test
    void aTrainedModelExportsToHuggingFaceLayoutAndImportsWithIdenticalLogits() throws IOException {
        for (boolean bias : new boolean[] {true, false}) {
            RunConfig base = Fixtures.config(dir.resolve("rt-" + bias), 6, 3, 3e-3, "softmax");
            RunConfig c = new RunConfig(base.seed(), base.outDir(), base.dataset(), base.tokenizer(), base.data(),
                    Fixtures.ref(ComponentKind.ARCHITECTURE, "gpt", new GptConfig(2, 2, 32, 16, 0, 0f, bias, attention("softmax"))),
                    base.optimizer(), base.paramGroups(), base.schedule(), base.backend(), base.train(), base.sample());
            try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", Fixtures.REGISTRY, quiet)) {
                new Trainer(run, Path.of(c.outDir()), quiet).run(false);
            }
            Path ckFile = Path.of(c.outDir()).resolve(Trainer.LAST);
            Checkpoint ck = Checkpoint.read(ckFile);
            Path out = dir.resolve("export-" + bias);
            List<String> notes = new ArrayList<>();
            ObjectNode modelNode = HfGpt2Folder.JSON.createObjectNode().put("name", "gpt").put("n_head", 2).put("attention", "softmax");
            HfExport.write(ck, modelNode, out, notes::add);

            JsonNode config = HfGpt2Folder.JSON.readTree(out.resolve("config.json").toFile());
            assertThat(config.get("architectures").get(0).asText()).isEqualTo("GPT2LMHeadModel");
            assertThat(config.get("model_type").asText()).isEqualTo("gpt2");
            assertThat(config.get("n_layer").asInt()).isEqualTo(2);
            assertThat(config.get("n_positions").asInt()).isEqualTo(16);
            assertThat(config.get("activation_function").asText()).isEqualTo("gelu_new");
            assertThat(config.get("tie_word_embeddings").asBoolean()).isTrue();
            assertThat(out.resolve("generation_config.json")).isRegularFile();
            var st = Safetensors.read(out.resolve("model.safetensors"));
            assertThat(st.metadata()).containsEntry("format", "pt");
            assertThat(st.tensors()).doesNotContainKey("lm_head.weight").containsKey("transformer.h.1.mlp.c_fc.bias");
            assertThat(st.tensors().get("transformer.h.0.attn.c_attn.weight").shape()).as("Conv1D (in, out)").containsExactly(32, 96);
            assertThat(notes).anyMatch(n -> n.contains("tokenizer char has no Hugging Face tokenizer.json"));
            if (!bias) {
                assertThat(notes).anyMatch(n -> n.contains("wrote zero biases"));
                assertThat(st.tensors().get("transformer.ln_f.bias").values()).containsOnly(0f);
            }

            int[] ids = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3};
            int v = ck.model().get("transformer.wte.weight").shape()[0];
            for (int i = 0; i < ids.length; i++) ids[i] %= v;
            try (CheckpointModel cm = CheckpointModel.open(ckFile, ck, c, Fixtures.REGISTRY)) {
                float[][] ours = logits(cm.model(), ids);
                // independent: GPT-2's forward from the exported tensors
                assertThat(maxDiff(ours, new HfGpt2Folder(st.tensors(), 2).logits(ids), ids.length)).isLessThan(1e-4);
                // import: the exported folder back into gpt (bias on) gives the same logits
                Files.write(out.resolve("tokenizer.json"), HfGpt2Folder.tokenizerJson()); // init_from needs a tokenizer; this model's is char
                try (Backend be = backend()) {
                    LanguageModel back = gpt(be, 2, 2, 32, 16, v, true);
                    HfInit.open(out).loadInto(back);
                    float[][] again = logits(back, ids);
                    for (int i = 0; i < ids.length; i++) assertThat(again[i]).containsExactly(ours[i]);
                }
            }
        }
    }

    @Test
    void aBpeTokenizerExportsAsATokenizerJsonThatEncodesTheSame() throws IOException {
        TokenizerFactory hfTok = Fixtures.ref(ComponentKind.TOKENIZER, "hf", new HfConfig("")).create(Fixtures.REGISTRY);
        Tokenizer original = hfTok.load(HfGpt2Folder.tokenizerJson());
        byte[] json = HfTokenizerFiles.fromNanolabBpe(original.state());
        Tokenizer back = hfTok.load(json);
        String text = "there in the\nrest, <|endoftext|> then";
        assertThat(back.encode(text)).containsExactly(original.encode(text));
        assertThat(back.encode(text, java.util.Set.of("<|endoftext|>"))).contains(HfGpt2Folder.VOCAB - 1);
        assertThat(back.fingerprint()).isEqualTo(original.fingerprint());
    }

    @Test
    void modelsThatGpt2CannotExpressAreRefusedNamingTheProperty() throws IOException {
        RunConfig c = Fixtures.config(dir.resolve("q"), 2, 2, 3e-3, "softmax1");
        try (TrainingRun run = TrainingRun.open(c, "seed: 7\n", Fixtures.REGISTRY, quiet)) {
            new Trainer(run, Path.of(c.outDir()), quiet).run(false);
        }
        Checkpoint ck = Checkpoint.read(Path.of(c.outDir()).resolve(Trainer.LAST));
        ObjectNode model = HfGpt2Folder.JSON.createObjectNode().put("name", "gpt").put("n_head", 2).put("attention", "softmax1");
        assertThatThrownBy(() -> HfExport.write(ck, model, dir.resolve("no"), n -> {}))
                .hasMessage("not GPT-2-compatible: model.attention is softmax1, and GPT2LMHeadModel computes softmax attention only");
        assertThat(dir.resolve("no")).doesNotExist();
        ObjectNode mot = HfGpt2Folder.JSON.createObjectNode().put("name", "gpt").put("n_head", 2);
        mot.putObject("embedding").put("name", "mot");
        assertThatThrownBy(() -> HfExport.check(ck, mot))
                .hasMessage("not GPT-2-compatible: model.embedding is mot, and GPT2LMHeadModel looks tokens up in a table only");
    }
}
