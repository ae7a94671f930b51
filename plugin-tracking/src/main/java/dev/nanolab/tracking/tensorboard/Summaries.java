package dev.nanolab.tracking.tensorboard;

import com.google.protobuf.ByteString;
import dev.nanolab.api.metrics.MetricsRecord;
import dev.nanolab.api.probe.Histogram;
import dev.nanolab.tracking.tensorboard.proto.DataType;
import dev.nanolab.tracking.tensorboard.proto.HistogramProto;
import dev.nanolab.tracking.tensorboard.proto.Summary;
import dev.nanolab.tracking.tensorboard.proto.SummaryMetadata;
import dev.nanolab.tracking.tensorboard.proto.TensorProto;
import dev.nanolab.tracking.tensorboard.proto.TensorShapeProto;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A record's values as TensorBoard summary values, tagged {@code type/key} ({@code train/loss}, {@code eval/val_loss},
 * {@code probe/act_kurtosis_pearson/h.0}; a nested map's keys join with {@code /}): a number is a scalar, a
 * {@link Histogram} a histogram; strings, booleans and nulls are left out.
 */
final class Summaries {
    private Summaries() {}

    static Summary of(MetricsRecord r) {
        Summary.Builder s = Summary.newBuilder();
        add(s, r.type() + "/", r.values());
        return s.build();
    }

    private static void add(Summary.Builder s, String prefix, Map<String, Object> values) {
        values.forEach((k, v) -> {
            String tag = prefix + k;
            switch (v) {
                case Double d -> s.addValue(scalar(tag, d));
                case Float f -> s.addValue(scalar(tag, f));
                case Long l -> s.addValue(scalar(tag, l));
                case Integer i -> s.addValue(scalar(tag, i));
                case Histogram h -> s.addValue(Summary.Value.newBuilder().setTag(tag).setHisto(histogram(h)));
                case Map<?, ?> m -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> nested = (Map<String, Object>) m;
                    add(s, tag + "/", nested);
                }
                case null, default -> { }
            }
        });
    }

    private static Summary.Value scalar(String tag, double v) {
        return Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) v).build();
    }

    /**
     * TensorBoard's buckets from nanolab's bins: bucket i counts (limit[i-1], limit[i]], so the limits are the bins'
     * upper edges and min is the lowest edge. The values themselves are gone, so sum and sum of squares are taken at
     * the bins' centres.
     */
    static HistogramProto histogram(Histogram h) {
        double[] edges = h.edges();
        long[] counts = h.counts();
        HistogramProto.Builder b = HistogramProto.newBuilder().setMin(edges[0]).setMax(edges[edges.length - 1]).setNum(h.total());
        double sum = 0, squares = 0;
        for (int i = 0; i < counts.length; i++) {
            double centre = (edges[i] + edges[i + 1]) / 2;
            sum += counts[i] * centre;
            squares += counts[i] * centre * centre;
            b.addBucketLimit(edges[i + 1]).addBucket(counts[i]);
        }
        return b.setSum(sum).setSumSquares(squares).build();
    }

    /** A text summary (TensorBoard's Text tab renders it as Markdown): a scalar DT_STRING tensor. */
    static Summary.Value text(String tag, String markdown) {
        return Summary.Value.newBuilder().setTag(tag)
                .setMetadata(SummaryMetadata.newBuilder().setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text")))
                .setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(TensorShapeProto.getDefaultInstance())
                        .addStringVal(ByteString.copyFrom(markdown, StandardCharsets.UTF_8)))
                .build();
    }
}
