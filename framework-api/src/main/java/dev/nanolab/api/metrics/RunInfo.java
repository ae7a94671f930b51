package dev.nanolab.api.metrics;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run is, recorded once per training session by every sink (a {@code run} record in metrics.jsonl, a text
 * summary in TensorBoard, run parameters in a tracking server).
 *
 * @param name           the run's name: its folder's name
 * @param host           the machine's host name
 * @param nanolabVersion the framework's version
 * @param gitCommit      the commit of the working directory's git checkout ({@code git rev-parse HEAD}), or empty
 *                       when it is not a checkout or git is missing
 * @param config         the full resolved config, as YAML
 * @param startTime      when this session started
 */
public record RunInfo(String name, String host, String nanolabVersion, Optional<String> gitCommit, String config, Instant startTime) {
    public RunInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nanolabVersion, "nanolabVersion");
        Objects.requireNonNull(gitCommit, "gitCommit");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(startTime, "startTime");
    }

    /** The start time in seconds since the epoch, as records carry their time. */
    public double startSeconds() {
        return startTime.getEpochSecond() + startTime.getNano() / 1e9;
    }
}
