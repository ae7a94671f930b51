package dev.nanolab.launcher.commands;

import dev.nanolab.launcher.NanolabException;
import dev.nanolab.training.train.RunLock;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Taking a run folder for a training run: created, locked against a second writer, each failure one line. */
final class RunFolders {
    private RunFolders() {}

    static RunLock lock(Path out) {
        try {
            return RunLock.acquire(out, "out_dir");
        } catch (RunLock.InUseException e) {
            throw new NanolabException(e.getMessage(), e);
        } catch (FileAlreadyExistsException e) {
            throw new NanolabException("cannot create out_dir " + out + ": " + e.getFile() + " is a file, not a folder", e);
        } catch (AccessDeniedException e) {
            throw new NanolabException("cannot create out_dir " + out + ": permission denied on " + e.getFile(), e);
        } catch (FileSystemException e) {
            String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            if (Files.isRegularFile(out)) why = "it is a file, not a folder";
            throw new NanolabException("cannot create out_dir " + out + ": " + why + (e.getFile() != null && !e.getFile().equals(out.toString()) ? " (" + e.getFile() + ")" : ""), e);
        } catch (IOException e) {
            throw new NanolabException("cannot create out_dir " + out + ": " + e.getMessage(), e);
        }
    }
}
