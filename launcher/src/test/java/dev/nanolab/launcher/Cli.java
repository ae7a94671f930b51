package dev.nanolab.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process, as the tests do, and keeps what it printed. */
public final class Cli {
    private Cli() {}

    /** The exit code and the two output streams of one run. */
    public record Result(int code, String out, String err) {}

    public static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new Session(null), args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }
}
