package dev.nanolab.launcher.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Command-line values checked before any work, each failure one line naming the option, the value and the rule. */
final class OptionChecks {
    private OptionChecks() {}

    /** sample's options: a count of 0 or a negative length would silently do nothing. */
    static void sampling(Integer numSamples, Integer maxNewTokens, Double temperature, Integer topK, Double topP) {
        if (numSamples != null && numSamples < 1) throw new IllegalArgumentException("--num-samples must be at least 1, got " + numSamples);
        if (maxNewTokens != null && maxNewTokens < 1) throw new IllegalArgumentException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        if (temperature != null && !(temperature >= 0 && Double.isFinite(temperature)))
            throw new IllegalArgumentException("--temperature must be a finite number of 0 or more (0 = greedy), got " + temperature);
        if (topK != null && topK < 0) throw new IllegalArgumentException("--top-k must be 0 (all tokens) or more, got " + topK);
        if (topP != null && !(topP > 0 && topP <= 1)) throw new IllegalArgumentException("--top-p must be in (0, 1], got " + topP);
    }

    /** A file the command reads: it must exist and be a file. */
    static void readableFile(Path file, String option) {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(option + " " + file + " is a folder, not a file");
        if (!Files.exists(file)) throw new IllegalArgumentException(option + " " + file + " does not exist");
        if (!Files.isReadable(file)) throw new IllegalArgumentException(option + " " + file + " cannot be read (permission denied)");
    }

    /** A file's text, which must be UTF-8: an error names the file and the offset of the first bad byte. */
    static String utf8(Path file, String what) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        return utf8(bytes, what + " " + file);
    }

    static String utf8(byte[] bytes, String what) {
        try {
            return dev.nanolab.launcher.config.ConfigTree.utf8(bytes, what);
        } catch (dev.nanolab.api.config.ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
