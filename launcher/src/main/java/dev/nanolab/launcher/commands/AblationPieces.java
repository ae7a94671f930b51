package dev.nanolab.launcher.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces of the speedrun-modern recipe that {@code nanolab speedrun --ablation} removes one at a time: each is
 * the overrides that turn it back into nanoGPT's choice (or, for the optimizer pieces, plain Adam / constant
 * momentum).
 */
final class AblationPieces {
    private AblationPieces() {}

    static final Map<String, List<String>> PIECES = pieces();

    private static Map<String, List<String>> pieces() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("rms-norm", List.of("model.norm=layer"));
        m.put("embed-norm", List.of("model.embed_norm=false"));
        m.put("rope", List.of("model.rope=none"));
        m.put("qk-norm", List.of("model.qk_norm=false"));
        m.put("attention-scale", List.of("model.attention_scale=0"));
        m.put("relu2", List.of("model.mlp=gelu"));
        m.put("untied-head", List.of("model.untied_head=false"));
        m.put("zero-init", List.of("model.zero_init_projections=false"));
        m.put("modded-init", List.of("model.init=gpt2"));
        m.put("value-embeds", List.of("model.value_embeds=0"));
        m.put("unet-skips", List.of("model.unet_skips=false"));
        m.put("x0-lambdas", List.of("model.x0_lambdas=false"));
        m.put("softcap", List.of("model.softcap=none"));
        m.put("windows", List.of("model.window_pattern=L", "model.window_start=0", "model.window_warmup_iters=0"));
        m.put("documents", List.of("model.document_boundary=-1"));
        // Adam (the recipe's, at its base rate) for the hidden matrices too.
        m.put("muon", List.of("param_groups.rules=[{name: embeddings, match: \"{embed.weight,embed.byte_embed.weight,value_embeds.*}\", lr_mult: 75, weight_decay: 0}, "
                + "{name: hidden, match: \"{blocks.*,embed.q.*,embed.k.*,embed.v.*,embed.up.*,embed.byte_attn.*}\", min_rank: 2}, "
                + "{name: head, match: \"lm_head.*\", weight_decay: 0}, {name: scalars, match: \"*\", lr_mult: 5, weight_decay: 0}]"));
        m.put("muon-warmup", List.of("param_groups.optimizers=[{name: muon, lr: 0.05, momentum: 0.95, momentum_warmup_steps: 0}]"));
        return m;
    }
}
