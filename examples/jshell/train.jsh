// nanolab from JShell: train a tiny char-level GPT on a text file, evaluate it, sample from it, read its metrics.
// Run from the repository root after ./mvnw package (or ./nanolab once):
//   jshell --module-path distribution/target/nanolab/lib --add-modules ALL-MODULE-PATH \
//          -R--add-modules=jdk.incubator.vector -R-Dnanolab.home=distribution/target/nanolab examples/jshell/train.jsh
// NANOLAB_TEXT names the training text (default: this repository's README.md), NANOLAB_OUT the run folder.
import dev.nanolab.launcher.Nanolab;
import java.nio.file.Path;

String text = System.getenv().getOrDefault("NANOLAB_TEXT", "README.md");
String out = System.getenv().getOrDefault("NANOLAB_OUT", "runs/jshell");
var lab = Nanolab.load().quiet();
var config = lab.config("cpu-demo", "dataset=text:" + text, "out_dir=" + out, "data.dir=" + out + "/data",
        "model.n_layer=2", "model.n_embd=64", "model.n_head=2", "model.block_size=32",
        "train.batch_size=8", "train.max_iters=60", "train.eval_interval=30", "train.eval_iters=4");
var run = lab.train(config);
System.out.printf("trained %d steps: last train loss %.4f, best val loss %.4f%n", run.steps(), run.lastTrainLoss(), run.bestValLoss());
var eval = lab.evaluate(run.dir().resolve("best.safetensors"), "val");
System.out.printf("val perplexity %.3f over %d tokens%n", eval.perplexity(), eval.tokens());
System.out.println("eval points: " + run.metrics().series("eval", "val_loss")[0].length);
System.out.println("sample: " + lab.sample(run.dir().resolve("best.safetensors"), "The ", 40).replace('\n', ' '));
/exit
