package dev.nanolab.models;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentSpec;
import dev.nanolab.api.plugin.Components;
import dev.nanolab.api.plugin.Plugin;
import dev.nanolab.models.gpt.GptArchitecture;
import dev.nanolab.models.gpt.GptConfig;

/** Registers the built-in architectures. */
public final class ModelsPlugin implements Plugin {
    @Override
    public String version() {
        return NanolabApi.VERSION;
    }

    @Override
    public String apiVersion() {
        return NanolabApi.VERSION;
    }

    @Override
    public Module module() {
        return binder -> Components.register(binder, ComponentSpec.of(ComponentKind.ARCHITECTURE, "gpt",
                "nanoGPT's GPT: pre-LN transformer, learned positions, tied LM head, pluggable attention",
                GptConfig.class, GptArchitecture::new));
    }
}
