package dev.nanolab.tokenizers.huggingface.pretokenizer;

import java.util.List;

/** {@code Sequence}: each pre-tokenizer splits every piece the one before it made. */
record SequencePreTokenizer(List<PreTokenizer> steps) implements PreTokenizer {
    @Override
    public void split(String piece, boolean atStart, Sink out) {
        run(0, piece, atStart, out);
    }

    private void run(int step, String piece, boolean atStart, Sink out) {
        if (step == steps.size()) out.accept(piece, atStart);
        else steps.get(step).split(piece, atStart, (p, s) -> run(step + 1, p, s, out));
    }
}
