package dev.nanolab.launcher.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.launcher.NanolabException;
import dev.nanolab.launcher.sweep.SweepExecutors;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where compare's and run's runs execute: {@code --executor local|slurm} and the Slurm options, which may also come
 * from the config's {@code executor} key ({@code executor: {name: slurm, partition: gpu}}); the command line wins.
 */
public final class ExecutorOptions {
    @Option(names = "--executor", paramLabel = "NAME",
            description = "Where the runs execute: local (child processes here, the default) or slurm (one job array; needs sbatch, and the "
                    + "sweep folder, data and nanolab on a filesystem every node shares; --jobs is then the most runs at once, 0 = no limit). "
                    + "Also the config key 'executor'.")
    String executor;

    @Option(names = "--detach", description = "slurm: submit the runs and return at once; 'nanolab compare --collect DIR' builds the report later.")
    boolean detach;

    @Option(names = "--retry", defaultValue = "0", paramLabel = "N",
            description = "Run failed runs again, up to N times (each resumes from its last checkpoint; default: ${DEFAULT-VALUE}).")
    int retry;

    @Option(names = "--partition", paramLabel = "NAME", description = "slurm: the partition (sbatch --partition).")
    String partition;

    @Option(names = "--account", paramLabel = "NAME", description = "slurm: the account to charge (sbatch --account).")
    String account;

    @Option(names = "--time-limit", paramLabel = "TIME", description = "slurm: each run's time limit, e.g. 2:00:00 (sbatch --time).")
    String time;

    @Option(names = "--cpus-per-run", paramLabel = "N",
            description = "slurm: CPUs of each run (default: the cpu backend's thread count, 1 when that is 0; the runs' threads follow).")
    Integer cpus;

    @Option(names = "--mem-per-run", paramLabel = "SIZE", description = "slurm: memory of each run, e.g. 8G (sbatch --mem).")
    String mem;

    @Option(names = "--gpus-per-run", paramLabel = "N", description = "slurm: GPUs of each run (sbatch --gres=gpu:N), e.g. for --backend tornadovm.")
    Integer gpus;

    @Option(names = "--sbatch", paramLabel = "LINE", description = "slurm: an extra line for the batch script's header, e.g. --sbatch=--qos=long (repeatable).")
    List<String> sbatch;

    @Option(names = "--poll", paramLabel = "SECONDS", description = "slurm: seconds between looks at squeue while waiting (default 5).")
    Double poll;

    /**
     * The executor's config as a tree ({@code name} and its options): the config's {@code executor} key, which is
     * removed from {@code tree} (it is no key of a run's config), with these options on top.
     */
    ObjectNode take(ObjectNode tree) {
        JsonNode fromConfig = tree.remove("executor");
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (fromConfig != null && fromConfig.isTextual()) node.put("name", fromConfig.asText());
        else if (fromConfig instanceof ObjectNode o) node.setAll(o);
        else if (fromConfig != null && !fromConfig.isNull())
            throw new NanolabException("executor: expected a name (" + String.join(", ", SweepExecutors.names()) + ") or a map with 'name', got " + fromConfig);
        if (executor != null) {
            if (node.has("name") && !node.get("name").asText().equals(executor)) node.removeAll();
            node.put("name", executor);
        }
        if (!node.has("name")) node.put("name", "local");
        if (partition != null) node.put("partition", partition);
        if (account != null) node.put("account", account);
        if (time != null) node.put("time", time);
        if (cpus != null) node.put("cpus_per_run", cpus);
        if (mem != null) node.put("mem_per_run", mem);
        if (gpus != null) node.put("gpus_per_run", gpus);
        if (sbatch != null) {
            ArrayNode a = node.putArray("sbatch");
            sbatch.forEach(a::add);
        }
        if (poll != null) node.put("poll_seconds", poll);
        if (retry < 0) throw new NanolabException("--retry must be 0 or more, got " + retry);
        return node;
    }

    /** The execution these options and the config's {@code executor} key describe ({@code tree} loses that key). */
    Comparer.Execution execution(ComponentRegistry registry, ObjectNode tree, String experiment) {
        ObjectNode node = take(tree);
        String name = node.get("name").asText();
        if (!name.equals("slurm")) {
            for (var o : List.of(new Object[] {"--partition", partition}, new Object[] {"--account", account}, new Object[] {"--time-limit", time},
                    new Object[] {"--cpus-per-run", cpus}, new Object[] {"--mem-per-run", mem}, new Object[] {"--gpus-per-run", gpus},
                    new Object[] {"--sbatch", sbatch}, new Object[] {"--poll", poll}))
                if (o[1] != null) throw new NanolabException(o[0] + " is an option of --executor slurm, and the executor is " + name);
        }
        return new Comparer.Execution(SweepExecutors.create(registry, node), node, detach, retry, experiment);
    }
}
