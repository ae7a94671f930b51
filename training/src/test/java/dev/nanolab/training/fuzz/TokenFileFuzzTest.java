package dev.nanolab.training.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nanolab.training.data.TokenFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The token-file reader on arbitrary bytes: a file opens (and every id it holds reads within the vocabulary it
 * states... or at least reads), or {@link TokenFile#open} throws an {@link IOException} naming the file.
 */
class TokenFileFuzzTest {
    private static final Path FILE;

    static {
        try {
            FILE = Files.createTempFile("nanolab-fuzz", ".bin");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @FuzzTest
    void open(byte[] data) throws IOException {
        Files.write(FILE, data);
        try (TokenFile f = TokenFile.open(FILE)) {
            long n = Math.min(f.count(), 4096);
            int[] ids = new int[(int) n];
            f.read(0, ids, 0, (int) n);
            if (f.count() > 0) f.get(f.count() - 1);
        } catch (IOException e) {
            if (!e.getMessage().contains(FILE.toString())) throw new AssertionError("message does not name the file: " + e.getMessage());
            if (e.getMessage().contains("\n")) throw new AssertionError("message is not one line: " + e.getMessage());
        }
    }
}
