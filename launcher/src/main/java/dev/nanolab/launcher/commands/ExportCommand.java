package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nanolab.launcher.config.ConfigTree;
import dev.nanolab.training.checkpoint.Checkpoint;
import dev.nanolab.training.hf.HfExport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nanolab export --format hf CHECKPOINT OUT_DIR}: a checkpoint as a folder other tools open. */
@Command(name = "export", description = "Write a checkpoint's model in another tool's layout: --format hf writes a Hugging Face GPT-2 folder that transformers opens.")
public final class ExportCommand implements Callable<Integer> {
    @Option(names = "--format", defaultValue = "hf", paramLabel = "FORMAT",
            description = "The layout to write; hf (the default): config.json, model.safetensors, tokenizer.json where the tokenizer has one, generation_config.json.")
    String format;

    @Option(names = "--force", description = "Write into OUT_DIR even when it already holds files (those of the same names are replaced).")
    boolean force;

    @Parameters(index = "0", paramLabel = "CHECKPOINT", description = "A .safetensors checkpoint written by train, e.g. runs/NAME/best.safetensors.")
    Path checkpoint;

    @Parameters(index = "1", paramLabel = "OUT_DIR", description = "The folder to write (created if missing).")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("hf")) throw new IllegalArgumentException("--format " + format + " is not known; the formats are: hf");
        if (!force && Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IllegalArgumentException("OUT_DIR " + out + " already holds files; give an empty or new folder, or --force");
            }
        }
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("OUT_DIR " + out + " is a file, not a folder");
        Checkpoint ck = Checkpoint.read(checkpoint);
        JsonNode model = ConfigTree.parse(ck.state().configYaml(), "the config of " + checkpoint).path("model");
        PrintStream log = System.out;
        HfExport.write(ck, model, out, note -> log.println("note: " + note));
        try (Stream<Path> s = Files.list(out)) {
            log.println("wrote " + out + ": " + String.join(", ", s.map(p -> p.getFileName().toString()).sorted().toList()));
        }
        log.println("open it with: GPT2LMHeadModel.from_pretrained(\"" + out + "\")");
        return 0;
    }
}
