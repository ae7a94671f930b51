package dev.nanolab.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Hugging Face path from the command line: train a tiny bpe GPT, {@code export --format hf}, then {@code eval}
 * and {@code sample} the exported folder and fine-tune from it with {@code init_from}.
 */
class HfExportIT {
    @TempDir
    Path dir;

    private Nanolab.Result run(String... args) throws Exception {
        return Nanolab.run(dir, args);
    }

    private String[] train(Path outDir, String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--preset", "cpu-demo",
                "--set", "dataset=text:" + dir.resolve("input.txt"), "--set", "data.dir=" + dir.resolve("data"),
                "--set", "out_dir=" + outDir, "--set", "tokenizer=bpe", "--set", "tokenizer.vocab_size=300",
                "--set", "tokenizer.special_tokens=[\"<|endoftext|>\"]",
                "--set", "model.n_layer=1", "--set", "model.n_head=2", "--set", "model.n_embd=16", "--set", "model.block_size=16",
                "--set", "train.max_iters=4", "--set", "train.eval_interval=2", "--set", "train.eval_iters=1",
                "--set", "train.batch_size=2", "--set", "train.progress_bar=false", "--set", "train.peak_flops=1e9",
                "--set", "train.always_save_checkpoint=true"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void trainExportThenEvalSampleAndFineTuneTheExportedFolder() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) text.append("the theory of the thing is there ").append(i % 10).append(".\n");
        Files.writeString(dir.resolve("input.txt"), text);
        Nanolab.Result t = run(train(dir.resolve("run")));
        assertThat(t.code()).as(t.err()).isZero();

        Path hf = dir.resolve("hf");
        Nanolab.Result e = run("export", "--format", "hf", dir.resolve("run/last.safetensors").toString(), hf.toString());
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(e.out()).contains("wrote " + hf).contains("zero biases");
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json"})
            assertThat(hf.resolve(f)).isRegularFile();
        JsonNode gen = new ObjectMapper().readTree(hf.resolve("generation_config.json").toFile());
        JsonNode cfg = new ObjectMapper().readTree(hf.resolve("config.json").toFile());
        assertThat(cfg.get("architectures").get(0).asText()).isEqualTo("GPT2LMHeadModel");
        assertThat(gen.get("eos_token_id").asInt()).as("<|endoftext|>, bpe's last id").isEqualTo(cfg.get("vocab_size").asInt() - 1);

        Nanolab.Result again = run("export", dir.resolve("run/last.safetensors").toString(), hf.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("already holds files").doesNotContain("\n ");

        Nanolab.Result ev = run("eval", "--checkpoint", hf.toString(), "--file", dir.resolve("input.txt").toString(), "--max-tokens", "200");
        assertThat(ev.code()).as(ev.err()).isZero();
        assertThat(ev.out()).contains("perplexity");
        Nanolab.Result evRun = run("eval", "--checkpoint", dir.resolve("run/last.safetensors").toString(), "--file", dir.resolve("input.txt").toString(), "--max-tokens", "200");
        assertThat(evRun.out().replaceAll("^.*?: loss", "")).as("the exported model scores as the checkpoint").isEqualTo(ev.out().replaceAll("^.*?: loss", ""));

        Nanolab.Result s = run("sample", "--checkpoint", hf.toString(), "--prompt", "the ", "--max-new-tokens", "5", "--num-samples", "1");
        assertThat(s.code()).as(s.err()).isZero();
        assertThat(s.out()).contains("the ");

        Nanolab.Result ft = run(train(dir.resolve("ft"), "--set", "init_from=" + hf));
        assertThat(ft.code()).as(ft.err()).isZero();
        assertThat(ft.out()).contains("init_from " + hf + ": loaded its weights");
        assertThat(Files.readString(dir.resolve("ft/config.yaml"))).contains("name: \"hf\"").contains("bias: true");

        Nanolab.Result bad = run("export", "--format", "onnx", dir.resolve("run/last.safetensors").toString(), dir.resolve("x").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("--format onnx is not known");
    }
}
