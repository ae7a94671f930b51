package dev.nanolab.training.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar on a terminal (me.tongfei:progressbar), nothing when output is redirected. */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    Progress(boolean enabled, String task, long start, long total) {
        this.bar = enabled && System.console() != null && total > 0
                ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                        .setUpdateIntervalMillis(250).continuousUpdate().startsFrom(start, java.time.Duration.ZERO).build()
                : null;
    }

    boolean active() {
        return bar != null;
    }

    /** Moves the bar to {@code done} with a message of {@code loss} and {@code ms}, formatted only when a bar is shown. */
    void step(long done, double loss, double ms) {
        if (bar == null) return;
        bar.stepTo(done);
        bar.setExtraMessage(String.format("loss %.4f, %.0f ms/step", loss, ms));
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
