package dev.nanolab.launcher;

import dev.nanolab.api.internal.Suggestions;
import dev.nanolab.training.train.MemoryEstimate;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Every error the user sees as one line with its reason (issue 15). */
final class ErrorLines {
    private ErrorLines() {}

    /**
     * The message of an exception, with the reason the JDK leaves out: a {@link FileSystemException}'s message is
     * often the bare path ("runs/x"), a decoding error's is "Input length = 1".
     */
    static String of(Throwable ex) {
        if (ex instanceof FileSystemException f && (f.getReason() == null || f.getMessage().equals(f.getFile()))) {
            String file = f.getFile() == null ? "a file" : f.getFile();
            String why = switch (f) {
                case NoSuchFileException x -> "does not exist (or a folder on its path does not)";
                case AccessDeniedException x -> "permission denied";
                case FileAlreadyExistsException x -> "already exists as a file, where a folder is needed";
                case NotDirectoryException x -> "is not a folder";
                case DirectoryNotEmptyException x -> "is a folder that is not empty";
                default -> "cannot be used (" + f.getClass().getSimpleName() + ")";
            };
            return file + (f.getOtherFile() != null ? " (and " + f.getOtherFile() + ")" : "") + ": " + why;
        }
        if (ex instanceof CharacterCodingException) return "input is not valid UTF-8 text (" + ex.getMessage() + ")";
        String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
        if (ex.getCause() instanceof FileSystemException f && msg.equals(f.getMessage())) return of(f);
        return msg.lines().findFirst().orElse(msg);
    }

    /** The line of an {@link OutOfMemoryError}: the heap, the run's estimate when one was made, the flag. */
    static String outOfMemory() {
        return MemoryEstimate.outOfMemory(Runtime.getRuntime().maxMemory());
    }

    /**
     * "unknown command 'trian'; did you mean train?" for a mistyped command name, or null when the error is
     * something else.
     */
    static String unknownCommand(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u)) return null;
        List<String> unmatched = u.getUnmatched();
        if (unmatched.isEmpty()) return null;
        String word = unmatched.getFirst();
        CommandLine cl = u.getCommandLine();
        if (word.startsWith("-") || cl.getSubcommands().isEmpty() || (cl.getParseResult() != null && cl.getParseResult().hasSubcommand())) return null;
        List<String> names = new ArrayList<>(cl.getSubcommands().keySet());
        List<String> near = Suggestions.closest(word, names);
        String where = cl.getCommandName().equals("nanolab") ? "" : " of '" + cl.getCommandName() + "'";
        return "unknown command '" + word + "'" + where + "; " + (near.isEmpty() ? "the commands are " + String.join(", ", names)
                : "did you mean " + String.join(" or ", near) + "?");
    }
}
