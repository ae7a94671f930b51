package dev.nanolab.tornadovm;

import dev.nanolab.tornadovm.kernels.KAttention;
import dev.nanolab.tornadovm.kernels.KClipped;
import dev.nanolab.tornadovm.kernels.KGemm;
import dev.nanolab.tornadovm.kernels.KLosses;
import dev.nanolab.tornadovm.kernels.KMemory;
import dev.nanolab.tornadovm.kernels.KNorms;
import dev.nanolab.tornadovm.kernels.KOptim;
import dev.nanolab.tornadovm.kernels.KPeak;
import dev.nanolab.tornadovm.kernels.KPointwise;
import dev.nanolab.tornadovm.kernels.KRotary;
import dev.nanolab.tornadovm.kernels.KSequences;
import dev.nanolab.tornadovm.kernels.KSoftmax;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task6;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/** Every device kernel, with its entry point and whether its launch grid is two-dimensional. */
enum Kernel {
    OPEN(KMemory::open),
    FILL_F(KMemory::fillF),
    FILL_I(KMemory::fillI),
    MATMUL(KGemm::matmul, 2),
    UNARY(KPointwise::unary),
    UNARY_BACKWARD(KPointwise::unaryBackward),
    BINARY(KPointwise::binary),
    COPY_F(KPointwise::copyF),
    COPY_I(KPointwise::copyI),
    REDUCE_COLUMNS(KPointwise::reduceColumns),
    REDUCE_ROWS(KPointwise::reduceRows),
    LAYER_NORM(KNorms::layerNorm),
    LAYER_NORM_BACKWARD_DX(KNorms::layerNormBackwardDx),
    LAYER_NORM_PARAM_PARTIALS(KNorms::layerNormParamPartials),
    SUM_PARTIALS(KNorms::sumPartials),
    RMS_NORM(KNorms::rmsNorm),
    RMS_NORM_BACKWARD_DX(KNorms::rmsNormBackwardDx),
    RMS_NORM_PARAM_PARTIALS(KNorms::rmsNormParamPartials),
    SOFTMAX(KSoftmax::softmax),
    SOFTMAX_BACKWARD(KSoftmax::softmaxBackward),
    MASK_FILL(KSoftmax::maskFill),
    MASK_FILL_BACKWARD(KSoftmax::maskFillBackward),
    ATTENTION_FORWARD(KAttention::forward),
    ATTENTION_ROW_DOT(KAttention::backwardRowDot),
    ATTENTION_DQ(KAttention::backwardDq),
    ATTENTION_DKV(KAttention::backwardDkv),
    ATTENTION_SINKS(KAttention::backwardSinks),
    CROSS_ENTROPY_ROWS(KLosses::crossEntropyRows),
    CROSS_ENTROPY_MEAN(KLosses::crossEntropyMean),
    CROSS_ENTROPY_SCALE(KLosses::crossEntropyScale),
    CROSS_ENTROPY_BACKWARD(KLosses::crossEntropyBackward),
    EMBEDDING_LOOKUP(KLosses::embeddingLookup),
    EMBEDDING_BACKWARD(KLosses::embeddingBackward),
    DROPOUT(KLosses::dropout),
    DROPOUT_BACKWARD(KLosses::dropoutBackward),
    ADAMW(KOptim::adamw),
    SUM_OF_SQUARES_PARTIALS(KOptim::sumOfSquaresPartials),
    SUM_OF_SQUARES_FINAL(KOptim::sumOfSquaresFinal),
    CLIP_SCALE(KOptim::clipScale),
    SGD(KOptim::sgd),
    RMSPROP(KOptim::rmsprop),
    ADAM(KOptim::adam),
    LION(KOptim::lion),
    MUON_MOMENTUM(KOptim::muonMomentum),
    MUON_NORMALIZE(KOptim::muonNormalize),
    MUON_UPDATE(KOptim::muonUpdate),
    CONV1D(KSequences::conv1d),
    CONV1D_BACKWARD_DX(KSequences::conv1dBackwardDx),
    CONV1D_BACKWARD_DW(KSequences::conv1dBackwardDw),
    LSTM_CELL(KSequences::lstmCell),
    LSTM_CELL_BACKWARD(KSequences::lstmCellBackward),
    ROTARY(KRotary::ropeRotate),
    CLIPPED_FORWARD(KClipped::forward),
    CLIPPED_ROW_TERM(KClipped::rowTerm),
    CLIPPED_DQ(KClipped::dq),
    CLIPPED_DKV(KClipped::dkv),
    PEAK_FMA(KPeak::peakFma);


    final Task6<KernelContext, FloatArray, IntArray, IntArray, FloatArray, Integer> entry;
    final int dims;

    Kernel(Task6<KernelContext, FloatArray, IntArray, IntArray, FloatArray, Integer> entry) {
        this(entry, 1);
    }

    Kernel(Task6<KernelContext, FloatArray, IntArray, IntArray, FloatArray, Integer> entry, int dims) {
        this.entry = entry;
        this.dims = dims;
    }
}
