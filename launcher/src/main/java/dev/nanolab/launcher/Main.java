package dev.nanolab.launcher;

import dev.nanolab.api.config.ConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code nanolab} command. */
public final class Main {
    /** Exit status of a problem the user can fix (bad input, bad plugin); picocli uses 2 for usage errors. */
    public static final int USER_ERROR = 1;
    public static final int INTERNAL_ERROR = 3;

    private Main() {}

    public static void main(String[] args) {
        // java.util.logging (JLine, through the progress bar) prints a date-and-class header line before each message;
        // one line per message instead, unless the user configured logging.
        if (System.getProperty("java.util.logging.config.file") == null && System.getProperty("java.util.logging.SimpleFormatter.format") == null)
            System.setProperty("java.util.logging.SimpleFormatter.format", "nanolab: %4$s: %5$s%6$s%n");
        System.exit(run(Session.fromSystemProperties(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns the exit status. Used by tests with their own session and writers. */
    public static int run(Session session, String[] args, PrintWriter out, PrintWriter err) {
        // Guice's bytecode generation is not needed (no AOP) and only warns on recent JDKs.
        if (System.getProperty("guice_bytecode_gen_option") == null) System.setProperty("guice_bytecode_gen_option", "DISABLED");
        CommandLine cl = NanolabCommand.commandLine(session);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            boolean userError = ex instanceof NanolabException || ex instanceof ConfigException
                    || ex instanceof IllegalArgumentException || ex instanceof java.io.UncheckedIOException
                    || ex instanceof java.io.IOException;
            String msg = ErrorLines.of(ex);
            err.println("nanolab: " + (userError ? msg : "internal error: " + ex));
            if (session.verbose()) ex.printStackTrace(err);
            else if (!userError) err.println("(run with --verbose for the stack trace)");
            err.flush();
            return userError ? USER_ERROR : INTERNAL_ERROR;
        });
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, rest) -> {
            String unknown = ErrorLines.unknownCommand(ex);
            if (unknown == null) return usage.handleParseException(ex, rest);
            err.println("nanolab: " + unknown);
            return 2;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("nanolab: " + ErrorLines.outOfMemory());
            if (session.verbose()) e.printStackTrace(err);
            return USER_ERROR;
        } catch (LinkageError | StackOverflowError e) {
            err.println("nanolab: internal error: " + e);
            if (session.verbose()) e.printStackTrace(err);
            else err.println("(run with --verbose for the stack trace)");
            return INTERNAL_ERROR;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
