package dev.nanolab.tokenizers;

import com.google.inject.Module;
import dev.nanolab.api.NanolabApi;
import dev.nanolab.api.plugin.Plugin;

/** Registers the built-in tokenizers. */
public final class TokenizersPlugin implements Plugin {
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
        return binder -> {};
    }
}
