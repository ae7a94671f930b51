package dev.nanolab.api.optim;

import dev.nanolab.api.config.ComponentRef;
import dev.nanolab.api.config.Doc;
import dev.nanolab.api.config.Range;
import dev.nanolab.api.plugin.ComponentKind;
import dev.nanolab.api.plugin.ComponentRegistry;
import dev.nanolab.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;

/**
 * Splits a model's named parameters into {@link ParamGroup}s by rules on the parameter's name and rank: each rule
 * gives its group a learning-rate multiplier, a weight decay and, optionally, its own optimizer. The first rule that
 * matches a parameter takes it; a parameter no rule matches is an error (it would silently not train).
 *
 * <p>The default, {@link #nanoGPT()}, is nanoGPT's {@code configure_optimizers}: tensors of rank ≥ 2 (matmul weights,
 * embeddings) decay, the rest (biases, norm gains) do not.
 *
 * <p>How a trainer uses it, with the run's optimizer component and the registry:
 *
 * <pre>{@code
 * ParamGroupRules rules = config.paramGroups();                // a config record; ParamGroupRules.nanoGPT() by default
 * OptimizerFactory factory = config.optimizer().create(registry);
 * Optimizer optimizer = rules.optimizer(model.namedParameters(), factory, registry);
 * ...
 * optimizer.step(new OptimizerStep(step, schedule.lr(step - 1, factory.learningRate()), clipScale));
 * }</pre>
 *
 * When no rule names an optimizer, {@code rules.optimizer(...)} is simply
 * {@code factory.create(rules.groups(named, factory.weightDecay()))}. A rule that names an optimizer routes its
 * groups to that optimizer instead (looked up first in {@link #optimizers()}, where its options can be set, else
 * created from the registry with its defaults), and the result steps every optimizer in turn. The schedule shapes all
 * of them alike: an optimizer with base rate {@code lr'} gets {@code step.lr() · lr' / factory.learningRate()}.
 *
 * <p>In a config file:
 *
 * <pre>{@code
 * param_groups:
 *   rules:
 *     - {name: hidden, match: "transformer.h.*", min_rank: 2, max_rank: 2, optimizer: muon}
 *     - {name: decay, min_rank: 2}
 *     - {name: no_decay, weight_decay: 0}
 *   optimizers: [{name: muon, lr: 0.02}]
 * }</pre>
 *
 * @param rules      tried in order; the first that matches a parameter takes it
 * @param optimizers options for the optimizers that rules name (by component name); an optimizer named by a rule and
 *                   absent here is created with its defaults
 */
public record ParamGroupRules(
        @Doc("rules tried in order: the first that matches a parameter's name and rank takes it") List<Rule> rules,
        @Doc("options of the optimizers that rules name; others get their defaults") List<ComponentRef<OptimizerFactory>> optimizers) {

    /**
     * One rule.
     *
     * @param name        the group's name, for logs ({@code group<i>} when null)
     * @param match       a glob on the dotted parameter name: {@code *} is any run of characters (dots included),
     *                    {@code ?} one character, {@code {a,b}} either alternative
     * @param minRank     the smallest rank this rule takes
     * @param maxRank     the largest rank it takes; null for no limit
     * @param lrMult      the group's learning-rate multiplier
     * @param weightDecay the group's weight decay; null for its optimizer's {@link OptimizerFactory#weightDecay()}
     * @param optimizer   the optimizer component for this group; null for the run's optimizer
     */
    public record Rule(@Doc("group name for logs") String name,
                       @Doc("glob on the parameter name: * any characters, ? one, {a,b} either") String match,
                       @Doc("smallest rank taken") @Range(min = 0) int minRank,
                       @Doc("largest rank taken; null for no limit") @Range(min = 0) Integer maxRank,
                       @Doc("learning-rate multiplier") @Range(min = 0) double lrMult,
                       @Doc("weight decay; null for the optimizer's weight_decay") @Range(min = 0) Double weightDecay,
                       @Doc("optimizer component for this group; null for the run's optimizer") String optimizer) {
        public Rule {
            if (match == null || match.isEmpty()) throw new IllegalArgumentException("a parameter-group rule needs a match glob");
            if (maxRank != null && maxRank < minRank)
                throw new IllegalArgumentException("rule " + (name == null ? match : name) + ": max_rank " + maxRank + " < min_rank " + minRank);
        }

        /** Matches everything, multiplier 1, the optimizer's weight decay and the run's optimizer. */
        public Rule() {
            this(null, "*", 0, null, 1.0, null, null);
        }

        /** A rule on ranks alone, for the run's optimizer. */
        public static Rule ofRank(String name, int minRank, Integer maxRank, Double weightDecay) {
            return new Rule(name, "*", minRank, maxRank, 1.0, weightDecay, null);
        }

        public boolean matches(String paramName, int rank) {
            return rank >= minRank && (maxRank == null || rank <= maxRank) && glob(match).test(paramName);
        }
    }

    /** A group and the optimizer it goes to (null: the run's optimizer). */
    public record Assignment(ParamGroup group, String optimizer) {}

    public ParamGroupRules {
        if (rules == null || rules.isEmpty()) throw new IllegalArgumentException("parameter-group rules: at least one rule is needed");
        rules = List.copyOf(rules);
        optimizers = optimizers == null ? List.of() : List.copyOf(optimizers);
    }

    /** nanoGPT's grouping, the default. */
    public ParamGroupRules() {
        this(nanoGPT().rules(), List.of());
    }

    /** nanoGPT: {@code decay} (rank ≥ 2, the optimizer's weight decay) and {@code no_decay} (the rest, 0). */
    public static ParamGroupRules nanoGPT() {
        return new ParamGroupRules(List.of(Rule.ofRank("decay", 2, null, null), Rule.ofRank("no_decay", 0, null, 0.0)), List.of());
    }

    /**
     * The groups of {@code named} (a model's {@code namedParameters()}), one per rule that takes at least one
     * parameter, in rule order; parameters keep their order within a group. Groups whose rule leaves weight decay
     * unset get {@code baseWeightDecay} (pass the optimizer's {@link OptimizerFactory#weightDecay()}).
     *
     * @throws IllegalArgumentException naming a parameter that no rule matches
     * @throws IllegalStateException    if a rule names its own optimizer: use {@link #optimizer} then
     */
    public List<ParamGroup> groups(Map<String, Tensor> named, double baseWeightDecay) {
        List<ParamGroup> out = new ArrayList<>();
        for (Assignment a : assign(named, name -> baseWeightDecay)) {
            if (a.optimizer() != null)
                throw new IllegalStateException("parameter group '" + a.group().name() + "' names optimizer '" + a.optimizer()
                        + "': create the optimizer with ParamGroupRules.optimizer(named, factory, registry)");
            out.add(a.group());
        }
        return out;
    }

    /**
     * The groups and the optimizer each goes to. {@code baseWeightDecay} gives the weight decay of a group whose rule
     * leaves it unset, from the group's optimizer name (null for the run's).
     */
    public List<Assignment> assign(Map<String, Tensor> named, ToDoubleFunction<String> baseWeightDecay) {
        List<List<Tensor>> byRule = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) byRule.add(new ArrayList<>());
        for (var e : named.entrySet()) {
            int r = ruleIndex(e.getKey(), e.getValue().rank());
            if (r < 0) throw new IllegalArgumentException("parameter " + e.getKey() + " (rank " + e.getValue().rank()
                    + ") matches no parameter-group rule; end the rules with a catch-all such as {match: \"*\"}");
            byRule.get(r).add(e.getValue());
        }
        List<Assignment> out = new ArrayList<>();
        for (int r = 0; r < rules.size(); r++) {
            if (byRule.get(r).isEmpty()) continue;
            Rule rule = rules.get(r);
            String name = rule.name() != null ? rule.name() : "group" + r;
            double wd = rule.weightDecay() != null ? rule.weightDecay() : baseWeightDecay.applyAsDouble(rule.optimizer());
            out.add(new Assignment(new ParamGroup(name, byRule.get(r), rule.lrMult(), wd), rule.optimizer()));
        }
        return out;
    }

    /** The index of the first rule that takes a parameter of this name and rank, or −1. */
    public int ruleIndex(String paramName, int rank) {
        for (int r = 0; r < rules.size(); r++)
            if (rules.get(r).matches(paramName, rank)) return r;
        return -1;
    }

    /**
     * The optimizer over {@code named}: the run's {@code factory} over the groups whose rules name no optimizer, and
     * each optimizer a rule names over its own groups (see the class comment for the learning rates). State names
     * stay {@code <param>.<slot>}, so checkpoints do not depend on the grouping.
     *
     * @param registry where optimizers named by rules are looked up; may be null when no rule names one
     */
    public Optimizer optimizer(Map<String, Tensor> named, OptimizerFactory factory, ComponentRegistry registry) {
        Map<String, OptimizerFactory> factories = new LinkedHashMap<>();
        Function<String, OptimizerFactory> lookup = name -> factories.computeIfAbsent(name, n -> {
            if (registry == null)
                throw new IllegalArgumentException("parameter-group rules name optimizer '" + n + "' but no registry was given");
            for (ComponentRef<OptimizerFactory> ref : optimizers)
                if (ref.name().equals(n)) return ref.create(registry);
            return registry.createDefault(ComponentKind.OPTIMIZER, n);
        });
        List<Assignment> assigned = assign(named, n -> n == null ? factory.weightDecay() : lookup.apply(n).weightDecay());
        // One optimizer per distinct factory, over all of its groups, in order of first appearance.
        Map<OptimizerFactory, List<ParamGroup>> byFactory = new IdentityHashMap<>();
        List<OptimizerFactory> order = new ArrayList<>();
        for (Assignment a : assigned) {
            OptimizerFactory f = a.optimizer() == null ? factory : lookup.apply(a.optimizer());
            if (!byFactory.containsKey(f)) order.add(f);
            byFactory.computeIfAbsent(f, k -> new ArrayList<>()).add(a.group());
        }
        if (order.isEmpty()) return factory.create(List.of());
        if (order.size() == 1 && order.get(0) == factory) return factory.create(byFactory.get(factory));
        List<Routed.Part> parts = new ArrayList<>();
        for (OptimizerFactory f : order) parts.add(new Routed.Part(f.learningRate(), f.create(byFactory.get(f))));
        return new Routed(factory.learningRate(), parts);
    }

    /** Several optimizers, each over its own groups, stepped in turn with the schedule rescaled to its base rate. */
    private record Routed(double baseLr, List<Part> parts) implements Optimizer {
        record Part(double baseLr, Optimizer optimizer) {}

        @Override
        public void step(OptimizerStep step) {
            for (Part p : parts) {
                double lr = baseLr == 0 ? 0 : step.lr() * (p.baseLr() / baseLr);
                p.optimizer().step(new OptimizerStep(step.step(), lr, step.gradScale()));
            }
        }

        @Override
        public Map<String, Tensor> state() {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (Part p : parts)
                for (var e : p.optimizer().state().entrySet())
                    if (out.put(e.getKey(), e.getValue()) != null)
                        throw new IllegalStateException("optimizer state " + e.getKey() + " is kept by two optimizers");
            return out;
        }
    }

    private static final Map<String, Pattern> GLOBS = new ConcurrentHashMap<>();

    /**
     * A glob on dotted names, as rules read it: {@code *} is any run of characters (dots included), {@code ?} one
     * character, {@code {a,b}} either alternative; everything else matches itself.
     */
    public static Predicate<String> glob(String pattern) {
        Pattern p = GLOBS.computeIfAbsent(pattern, ParamGroupRules::compile);
        return s -> p.matcher(s).matches();
    }

    private static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        int depth = 0;
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                case '{' -> { re.append("(?:"); depth++; }
                case '}' -> { if (depth == 0) throw new IllegalArgumentException("unbalanced '}' in glob " + glob); re.append(')'); depth--; }
                case ',' -> re.append(depth > 0 ? "|" : ",");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        if (depth != 0) throw new IllegalArgumentException("unbalanced '{' in glob " + glob);
        return Pattern.compile(re.toString());
    }
}
