package dev.nanolab.launcher;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nanolab.api.config.ConfigException;
import dev.nanolab.launcher.config.ConfigBinder;
import dev.nanolab.launcher.config.ConfigTree;
import java.util.ArrayList;
import java.util.List;

/**
 * The config binder on arbitrary YAML and {@code --set} overrides: a bound record, or a {@link ConfigException}
 * (one line, naming the key where there is one); anything else is a finding.
 */
class ConfigBinderFuzzTest {
    @FuzzTest
    void bind(FuzzedDataProvider data) {
        List<String> sets = new ArrayList<>();
        int n = data.consumeInt(0, 3);
        for (int i = 0; i < n; i++) sets.add(data.consumeString(40));
        String yaml = data.consumeRemainingAsString();
        try {
            var tree = ConfigTree.override(ConfigTree.parse(yaml, "fuzz"), sets);
            new ConfigBinder(ConfigBinderTest.REGISTRY).bind(tree, ConfigBinderTest.Run.class);
        } catch (ConfigException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) throw new AssertionError("empty message");
        }
    }
}
