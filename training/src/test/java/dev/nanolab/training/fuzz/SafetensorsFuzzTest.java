package dev.nanolab.training.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nanolab.training.checkpoint.Safetensors;
import java.io.IOException;
import java.util.Map;

/**
 * The safetensors reader on arbitrary bytes: it returns the tensors, or throws an {@link IOException} naming the
 * input; anything else (an unchecked exception, an out-of-memory on a lying header) is a finding.
 */
class SafetensorsFuzzTest {
    @FuzzTest
    void read(byte[] data) {
        try {
            Safetensors.Contents c = Safetensors.read(data, "fuzz.safetensors");
            for (Map.Entry<String, Safetensors.Entry> e : c.tensors().entrySet()) {
                long n = 1;
                for (int d : e.getValue().shape()) {
                    if (d < 0) throw new AssertionError("negative dimension accepted in " + e.getKey());
                    n *= d;
                }
                if (n != e.getValue().values().length) throw new AssertionError("shape and values disagree in " + e.getKey());
            }
        } catch (IOException e) {
            if (!e.getMessage().contains("fuzz.safetensors")) throw new AssertionError("message does not name the file: " + e.getMessage());
            if (e.getMessage().contains("\n")) throw new AssertionError("message is not one line: " + e.getMessage());
        }
    }
}
