package dev.nanolab.launcher;

/**
 * A problem the user can fix: a bad plugin jar, an unknown config key, a missing file. The launcher prints its
 * message as one line ({@code nanolab: ...}) and the stack trace only under {@code --verbose}.
 */
public class NanolabException extends RuntimeException {
    public NanolabException(String message) {
        super(message);
    }

    public NanolabException(String message, Throwable cause) {
        super(message, cause);
    }
}
