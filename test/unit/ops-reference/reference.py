"""Reference values for the op-table tests, computed with real PyTorch.

Run:  /usr/bin/python3 test/unit/ops-reference/reference.py > test/unit/ops-reference/reference.json
(Debian's torch 1.13; features newer than 1.13 — RMSNorm, LayerNorm(bias=), enable_gqa — are hand-computed in the
tests instead.) Each case lists the constructor / call arguments in a JSON form the TypeScript test decodes:
{"t": shape} is a float tensor, {"i": [shape, high]} an index tensor, {"module": name, "args": [...], "kwargs": {...}}
a module instance. Outputs are serialised the same way: {"shape": [...]} for tensors, lists for tuples.
"""
import json
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


def T(*shape):
    return {"t": list(shape)}


def I(high, *shape):
    return {"i": [list(shape), high]}


def M(name, *args, **kwargs):
    return {"module": name, "args": list(args), "kwargs": kwargs}


def decode(v):
    if isinstance(v, dict) and "t" in v:
        return torch.randn(*v["t"])
    if isinstance(v, dict) and "i" in v:
        shape, high = v["i"]
        return torch.randint(0, high, shape)
    if isinstance(v, dict) and "module" in v:
        return getattr(nn, v["module"])(*[decode(a) for a in v["args"]], **{k: decode(x) for k, x in v["kwargs"].items()})
    if isinstance(v, list):
        return tuple(decode(x) for x in v)
    return v


def encode(v):
    if isinstance(v, torch.Tensor):
        return {"shape": list(v.shape)}
    if isinstance(v, (list, tuple)):
        return [encode(x) for x in v]
    if isinstance(v, torch.Size):
        return list(v)
    return v


LAYERS = [
    # linear family
    ("Linear", [9, 10], {}, [T(8, 9)], {}),
    ("Linear", [512, 10], {"bias": False}, [T(4, 7, 512)], {}),
    ("Linear", [3, 4], {}, [T(3)], {}),
    ("Bilinear", [20, 30, 40], {}, [T(128, 20), T(128, 30)], {}),
    ("Identity", [54], {"unused_argument1": 0.1}, [T(128, 20)], {}),
    ("Flatten", [], {}, [T(2, 3, 4, 5)], {}),
    ("Flatten", [0, 2], {}, [T(2, 3, 4, 5)], {}),
    ("Unflatten", [1, [2, 5]], {}, [T(3, 10)], {}),
    ("Unflatten", [1, [-1, 5]], {}, [T(3, 10, 2)], {}),
    # convolutions
    ("Conv1d", [16, 33, 3], {"stride": 2}, [T(20, 16, 50)], {}),
    ("Conv1d", [4, 8, 5], {"padding": "same", "dilation": 2}, [T(2, 4, 30)], {}),
    ("Conv2d", [16, 33, [3, 5]], {"stride": [2, 1], "padding": [4, 2], "dilation": [3, 1]}, [T(20, 16, 50, 100)], {}),
    ("Conv2d", [3, 64, 7, 2, 3], {"bias": False}, [T(1, 3, 224, 224)], {}),
    ("Conv2d", [64, 64, 3], {"padding": "same"}, [T(2, 64, 56, 56)], {}),
    ("Conv2d", [8, 8, 4], {"padding": "same"}, [T(1, 8, 9, 9)], {}),
    ("Conv2d", [4, 8, 3], {"padding": "valid"}, [T(1, 4, 10, 12)], {}),
    ("Conv2d", [32, 32, 3], {"groups": 32, "padding": 1}, [T(1, 32, 28, 28)], {}),
    ("Conv2d", [6, 12, 3], {"groups": 3}, [T(2, 6, 8, 8)], {}),
    ("Conv2d", [3, 16, 3], {}, [T(3, 32, 32)], {}),
    ("Conv3d", [16, 33, 3], {"stride": 2}, [T(20, 16, 10, 50, 100)], {}),
    ("Conv3d", [16, 33, [3, 5, 2]], {"stride": [2, 1, 1], "padding": [4, 2, 0]}, [T(2, 16, 10, 50, 20)], {}),
    ("ConvTranspose1d", [16, 33, 3], {"stride": 2}, [T(20, 16, 50)], {}),
    ("ConvTranspose2d", [16, 33, [3, 5]], {"stride": [2, 1], "padding": [4, 2]}, [T(20, 16, 50, 100)], {}),
    ("ConvTranspose2d", [16, 16, 3], {"stride": 2, "padding": 1, "output_padding": 1}, [T(1, 16, 12, 12)], {}),
    ("ConvTranspose2d", [8, 4, 4], {"stride": 2, "padding": 1, "groups": 2, "dilation": 2, "bias": False}, [T(1, 8, 5, 5)], {}),
    ("ConvTranspose2d", [4, 8, [2, 2]], {"stride": 2}, [T(1, 4, 30, 2)], {}),
    ("ConvTranspose3d", [16, 33, 3], {"stride": 2}, [T(2, 16, 5, 6, 7)], {}),
    # normalisation
    ("BatchNorm1d", [100], {}, [T(20, 100)], {}),
    ("BatchNorm1d", [100], {"affine": False}, [T(20, 100, 7)], {}),
    ("BatchNorm2d", [64], {}, [T(4, 64, 8, 8)], {}),
    ("BatchNorm3d", [10], {}, [T(2, 10, 3, 4, 5)], {}),
    ("LayerNorm", [512], {}, [T(8, 10, 512)], {}),
    ("LayerNorm", [[10, 10]], {}, [T(20, 5, 10, 10)], {}),
    ("LayerNorm", [64], {"elementwise_affine": False}, [T(3, 64)], {}),
    ("GroupNorm", [3, 6], {}, [T(20, 6, 10, 10)], {}),
    ("GroupNorm", [2, 8], {"affine": False}, [T(4, 8, 5)], {}),
    ("InstanceNorm1d", [100], {}, [T(20, 100, 40)], {}),
    ("InstanceNorm2d", [100], {"affine": True}, [T(20, 100, 35, 45)], {}),
    ("InstanceNorm3d", [4], {"affine": True}, [T(4, 5, 6, 7)], {}),
    ("LocalResponseNorm", [2], {}, [T(32, 5, 24, 24)], {}),
    # embeddings
    ("Embedding", [10, 3], {}, [I(10, 2, 4)], {}),
    ("Embedding", [50257, 768], {"padding_idx": 0}, [I(50257, 4, 1024)], {}),
    ("Embedding", [10, 3], {}, [I(10, 7)], {}),
    ("EmbeddingBag", [10, 3], {"mode": "sum"}, [I(10, 2, 4)], {}),
    ("EmbeddingBag", [10, 3], {}, [I(10, 8), I(1, 3)], {}),
    ("EmbeddingBag", [10, 3], {"include_last_offset": True}, [I(10, 8), I(1, 3)], {}),
    # recurrent
    ("RNN", [10, 20, 2], {}, [T(5, 3, 10)], {}),
    ("RNN", [10, 20], {"nonlinearity": "relu", "bidirectional": True}, [T(5, 3, 10)], {}),
    ("LSTM", [10, 20, 2], {}, [T(5, 3, 10)], {}),
    ("LSTM", [10, 20, 2], {"bidirectional": True}, [T(5, 3, 10)], {}),
    ("LSTM", [10, 20], {"batch_first": True}, [T(3, 5, 10)], {}),
    ("LSTM", [10, 20, 2], {"proj_size": 5, "bidirectional": True}, [T(5, 3, 10)], {}),
    ("LSTM", [10, 20, 2], {"bias": False}, [T(5, 3, 10)], {}),
    ("LSTM", [10, 20], {}, [T(5, 10)], {}),
    ("LSTM", [256, 512, 3], {"batch_first": True, "dropout": 0.2}, [T(8, 35, 256)], {}),
    ("GRU", [10, 20, 2], {}, [T(5, 3, 10)], {}),
    ("GRU", [10, 20, 3], {"bidirectional": True, "batch_first": True}, [T(3, 5, 10)], {}),
    ("LSTMCell", [10, 20], {}, [T(3, 10)], {}),
    ("GRUCell", [10, 20], {}, [T(3, 10)], {}),
    ("RNNCell", [10, 20], {"bias": False}, [T(10)], {}),
    # attention / transformers
    ("MultiheadAttention", [512, 8], {}, [T(10, 4, 512), T(10, 4, 512), T(10, 4, 512)], {}),
    ("MultiheadAttention", [256, 4], {"kdim": 128, "vdim": 64, "batch_first": True}, [T(2, 7, 256), T(2, 9, 128), T(2, 9, 64)], {}),
    ("MultiheadAttention", [64, 4], {"bias": False}, [T(6, 2, 64), T(6, 2, 64), T(6, 2, 64)], {"need_weights": False}),
    ("MultiheadAttention", [64, 4], {"add_bias_kv": True}, [T(6, 2, 64), T(8, 2, 64), T(8, 2, 64)], {"average_attn_weights": False}),
    ("MultiheadAttention", [64, 4], {"add_zero_attn": True}, [T(6, 64), T(8, 64), T(8, 64)], {}),
    ("TransformerEncoderLayer", [512, 8], {}, [T(10, 32, 512)], {}),
    ("TransformerEncoderLayer", [], {"d_model": 256, "nhead": 4, "dim_feedforward": 1024, "batch_first": True, "norm_first": True, "activation": "gelu"}, [T(2, 16, 256)], {}),
    ("TransformerDecoderLayer", [512, 8], {}, [T(20, 32, 512), T(10, 32, 512)], {}),
    ("TransformerEncoder", [M("TransformerEncoderLayer", 512, 8), 6], {}, [T(10, 2, 512)], {}),
    ("TransformerEncoder", [M("TransformerEncoderLayer", 128, 4, 256), 2], {"norm": M("LayerNorm", 128)}, [T(10, 2, 128)], {}),
    ("TransformerDecoder", [M("TransformerDecoderLayer", 512, 8), 6], {}, [T(20, 2, 512), T(10, 2, 512)], {}),
    ("Transformer", [], {}, [T(10, 4, 512), T(20, 4, 512)], {}),
    ("Transformer", [], {"d_model": 128, "nhead": 4, "num_encoder_layers": 2, "num_decoder_layers": 3, "dim_feedforward": 256, "batch_first": True}, [T(2, 10, 128), T(2, 7, 128)], {}),
    # pooling
    ("MaxPool2d", [3], {"stride": 2}, [T(20, 16, 50, 32)], {}),
    ("MaxPool2d", [[3, 2]], {"stride": [2, 1]}, [T(20, 16, 50, 32)], {}),
    ("MaxPool2d", [3, 2, 1], {}, [T(1, 64, 112, 112)], {}),
    ("MaxPool2d", [2], {"ceil_mode": True}, [T(1, 1, 5, 5)], {}),
    ("MaxPool2d", [3, 2], {"ceil_mode": True}, [T(1, 1, 6, 6)], {}),
    ("MaxPool2d", [3, 2, 1], {"ceil_mode": True}, [T(1, 1, 6, 6)], {}),
    ("MaxPool2d", [3], {"stride": 1, "dilation": 2}, [T(1, 2, 10, 10)], {}),
    ("MaxPool2d", [2], {"return_indices": True}, [T(1, 3, 8, 8)], {}),
    ("MaxPool2d", [2], {}, [T(3, 8, 8)], {}),
    ("MaxPool1d", [3, 2], {}, [T(20, 16, 50)], {}),
    ("MaxPool3d", [[3, 2, 2]], {"stride": [2, 1, 2]}, [T(20, 16, 50, 44, 31)], {}),
    ("AvgPool1d", [3, 2], {}, [T(1, 1, 7)], {}),
    ("AvgPool2d", [3, 2], {}, [T(20, 16, 50, 32)], {}),
    ("AvgPool2d", [[3, 2]], {"stride": [2, 1]}, [T(20, 16, 50, 32)], {}),
    ("AvgPool2d", [2], {"ceil_mode": True, "padding": 1}, [T(1, 1, 5, 5)], {}),
    ("AvgPool3d", [3], {"stride": 2}, [T(20, 16, 50, 44, 31)], {}),
    ("AdaptiveAvgPool2d", [[5, 7]], {}, [T(1, 64, 8, 9)], {}),
    ("AdaptiveAvgPool2d", [7], {}, [T(1, 64, 10, 9)], {}),
    ("AdaptiveAvgPool2d", [[None, 7]], {}, [T(1, 64, 10, 9)], {}),
    ("AdaptiveAvgPool2d", [1], {}, [T(8, 2048, 7, 7)], {}),
    ("AdaptiveMaxPool2d", [[5, 7]], {}, [T(1, 64, 8, 9)], {}),
    ("AdaptiveAvgPool1d", [5], {}, [T(1, 64, 8)], {}),
    ("AdaptiveAvgPool3d", [[5, 7, 9]], {}, [T(1, 64, 8, 9, 10)], {}),
    # resampling
    ("Upsample", [], {"scale_factor": 2, "mode": "nearest"}, [T(1, 1, 2, 2)], {}),
    ("Upsample", [], {"size": [5, 7], "mode": "bilinear"}, [T(1, 3, 2, 2)], {}),
    ("Upsample", [], {"scale_factor": 1.5}, [T(1, 3, 7, 7)], {}),
    ("Upsample", [], {"scale_factor": [2, 3]}, [T(1, 3, 4, 5)], {}),
    ("Upsample", [], {"scale_factor": 2, "mode": "trilinear"}, [T(1, 3, 4, 5, 6)], {}),
    ("Upsample", [], {"scale_factor": 2, "mode": "linear"}, [T(1, 3, 4)], {}),
    ("UpsamplingNearest2d", [], {"scale_factor": 2}, [T(1, 1, 2, 2)], {}),
    ("UpsamplingBilinear2d", [10], {}, [T(1, 1, 2, 2)], {}),
    ("PixelShuffle", [3], {}, [T(1, 9, 4, 4)], {}),
    ("PixelUnshuffle", [3], {}, [T(1, 1, 12, 12)], {}),
    # padding
    ("ZeroPad2d", [2], {}, [T(1, 1, 3, 3)], {}),
    ("ZeroPad2d", [[1, 1, 2, 0]], {}, [T(1, 1, 3, 3)], {}),
    ("ConstantPad1d", [2, 3.5], {}, [T(1, 2, 4)], {}),
    ("ConstantPad3d", [[3, 3, 6, 6, 0, 1]], {"value": 3.5}, [T(16, 3, 10, 20, 30)], {}),
    ("ReflectionPad2d", [2], {}, [T(1, 1, 3, 3)], {}),
    ("ReflectionPad1d", [[3, 1]], {}, [T(1, 2, 4)], {}),
    ("ReplicationPad2d", [[1, 1, 2, 0]], {}, [T(1, 1, 3, 3)], {}),
    ("ReplicationPad3d", [3], {}, [T(16, 3, 8, 320, 480)], {}),
    # activations
    ("ReLU", [], {}, [T(2, 3)], {}),
    ("ReLU6", [], {"inplace": True}, [T(2, 3)], {}),
    ("LeakyReLU", [0.2], {}, [T(2, 3)], {}),
    ("PReLU", [], {}, [T(2, 3)], {}),
    ("PReLU", [64], {}, [T(2, 64, 8, 8)], {}),
    ("ELU", [], {}, [T(2, 3)], {}),
    ("SELU", [], {}, [T(2, 3)], {}),
    ("GELU", [], {"approximate": "tanh"}, [T(2, 3)], {}),
    ("SiLU", [], {}, [T(2, 3)], {}),
    ("Mish", [], {}, [T(2, 3)], {}),
    ("Sigmoid", [], {}, [T(2, 3)], {}),
    ("Tanh", [], {}, [T(2, 3)], {}),
    ("Softplus", [], {"beta": 2}, [T(2, 3)], {}),
    ("Hardswish", [], {}, [T(2, 3)], {}),
    ("Hardsigmoid", [], {}, [T(2, 3)], {}),
    ("Hardtanh", [-2, 2], {}, [T(2, 3)], {}),
    ("Softmax", [], {"dim": 1}, [T(2, 3)], {}),
    ("LogSoftmax", [-1], {}, [T(2, 3, 4)], {}),
    ("GLU", [], {}, [T(4, 2)], {}),
    ("GLU", [1], {}, [T(4, 6, 3)], {}),
    ("Dropout", [0.1], {}, [T(2, 3)], {}),
    ("Dropout2d", [], {}, [T(2, 3, 4, 4)], {}),
    ("AlphaDropout", [0.2], {}, [T(2, 3)], {}),
    # losses
    ("CrossEntropyLoss", [], {}, [T(3, 5), I(5, 3)], {}),
    ("CrossEntropyLoss", [], {"reduction": "none"}, [T(3, 5), I(5, 3)], {}),
    ("CrossEntropyLoss", [], {"reduction": "none", "label_smoothing": 0.1}, [T(2, 5, 4, 4), I(5, 2, 4, 4)], {}),
    ("CrossEntropyLoss", [], {}, [T(3, 5), T(3, 5)], {}),
    ("NLLLoss", [], {}, [T(3, 5), I(5, 3)], {}),
    ("NLLLoss", [], {"reduction": "sum"}, [T(2, 5, 4), I(5, 2, 4)], {}),
    ("MSELoss", [], {}, [T(3, 5), T(3, 5)], {}),
    ("MSELoss", [], {"reduction": "none"}, [T(3, 5), T(3, 5)], {}),
    ("L1Loss", [], {}, [T(3, 5), T(3, 5)], {}),
    ("SmoothL1Loss", [], {"beta": 0.5}, [T(3, 5), T(3, 5)], {}),
    ("HuberLoss", [], {"reduction": "none"}, [T(3, 5), T(3, 5)], {}),
    ("BCELoss", [], {}, [T(3, 5), T(3, 5)], {}),
    ("BCEWithLogitsLoss", [], {}, [T(3, 5), T(3, 5)], {}),
    ("KLDivLoss", [], {"reduction": "batchmean"}, [T(3, 5), T(3, 5)], {}),
    ("CosineEmbeddingLoss", [], {}, [T(3, 5), T(3, 5), T(3)], {}),
    ("CosineSimilarity", [], {}, [T(100, 128), T(100, 128)], {}),
    ("PairwiseDistance", [], {}, [T(100, 128), T(100, 128)], {}),
    ("PairwiseDistance", [], {"keepdim": True}, [T(100, 128), T(100, 128)], {}),
]

FUNCTIONS = [
    ("mm", [T(4, 5), T(5, 6)], {}),
    ("bmm", [T(3, 4, 5), T(3, 5, 6)], {}),
    ("addmm", [T(4, 6), T(4, 5), T(5, 6)], {"beta": 0.5, "alpha": 0.5}),
    ("addmm", [T(6), T(4, 5), T(5, 6)], {}),
    ("baddbmm", [T(3, 4, 6), T(3, 4, 5), T(3, 5, 6)], {}),
    ("matmul", [T(3), T(3)], {}),
    ("matmul", [T(2, 3), T(3)], {}),
    ("matmul", [T(3), T(3, 4)], {}),
    ("matmul", [T(10, 3, 4), T(4, 5)], {}),
    ("matmul", [T(10, 1, 3, 4), T(7, 4, 5)], {}),
    ("matmul", [T(3), T(2, 3, 4)], {}),
    ("einsum", ["ab,bc->ac", T(6, 7), T(7, 8)], {}),
    ("einsum", ["bhqd,bhkd->bhqk", T(2, 3, 4, 5), T(2, 3, 6, 5)], {}),
    ("einsum", ["ij,jk", T(2, 3), T(3, 4)], {}),
    ("einsum", ["i,j->ij", T(3), T(4)], {}),
    ("einsum", ["ii->i", T(4, 4)], {}),
    ("einsum", ["ij->", T(4, 5)], {}),
    ("einsum", ["ij->ji", T(4, 5)], {}),
    ("einsum", ["...ij,...jk->...ik", T(2, 3, 4, 5), T(5, 6)], {}),
    ("einsum", ["bn,anm,bm->ba", T(2, 5), T(3, 5, 4), T(2, 4)], {}),
    ("einsum", ["b i d, b j d -> b i j", T(2, 7, 16), T(2, 9, 16)], {}),
    ("linear", [T(8, 9), T(10, 9)], {}),
    ("linear", [T(8, 9), T(10, 9), T(10)], {}),
    ("conv1d", [T(2, 3, 6), T(6, 3, 4)], {"padding": 1}),
    ("conv2d", [T(1, 1, 2, 2), T(1, 1, 1, 1)], {}),
    ("conv2d", [T(2, 4, 9, 9), T(8, 2, 3, 3)], {"stride": 2, "groups": 2}),
    ("conv_transpose2d", [T(1, 1, 2, 2), T(1, 1, 2, 2)], {}),
    ("max_pool2d", [T(1, 3, 9, 9), 3], {"stride": 2}),
    ("avg_pool2d", [T(1, 3, 9, 9), 2], {}),
    ("adaptive_avg_pool2d", [T(2, 3, 9, 9), [1, 1]], {}),
    ("interpolate", [T(1, 3, 8, 8)], {"scale_factor": 2, "mode": "bilinear", "align_corners": False}),
    ("interpolate", [T(1, 3, 8, 8)], {"size": [5, 6]}),
    ("interpolate", [T(1, 3, 8)], {"size": 20, "mode": "linear"}),
    ("pad", [T(2, 3, 4, 5), [1, 2]], {}),
    ("pad", [T(2, 3, 4, 5), [1, 2, 1, 2]], {"mode": "reflect"}),
    ("pad", [T(2, 3, 4, 5), [0, 0, 0, 0, 1, 1]], {}),
    ("pad", [T(2, 3, 4, 5), [-1, -1]], {}),
    ("layer_norm", [T(2, 5, 8), [8]], {}),
    ("group_norm", [T(2, 6, 4), 3], {}),
    ("normalize", [T(4, 8)], {"dim": -1}),
    ("embedding", [I(10, 2, 3), T(10, 4)], {}),
    ("one_hot", [I(5, 2, 3)], {"num_classes": 5}),
    ("cross_entropy", [T(4, 10), I(10, 4)], {}),
    ("mse_loss", [T(4, 10), T(4, 10)], {"reduction": "none"}),
    ("binary_cross_entropy_with_logits", [T(4, 10), T(4, 10)], {}),
    ("softmax", [T(2, 3, 4)], {"dim": -1}),
    ("log_softmax", [T(2, 3, 4)], {"dim": 1}),
    ("gelu", [T(2, 3)], {}),
    ("relu", [T(2, 3)], {}),
    ("glu", [T(4, 6)], {}),
    ("dropout", [T(4, 6), 0.1], {}),
    ("cat", [[T(2, 3), T(4, 3)]], {}),
    ("cat", [[T(2, 3), T(2, 5)]], {"dim": 1}),
    ("cat", [[T(2, 3), T(2, 5)], -1], {}),
    ("stack", [[T(2, 3), T(2, 3), T(2, 3)]], {}),
    ("stack", [[T(2, 3), T(2, 3)]], {"dim": -1}),
    ("stack", [[T(2, 3), T(2, 3)], 1], {}),
    ("split", [T(10, 4), 3], {}),
    ("split", [T(10, 4), [1, 2, 1]], {"dim": 1}),
    ("chunk", [T(5, 2), 4], {}),
    ("chunk", [T(6, 2), 4], {}),
    ("chunk", [T(2, 12), 3, -1], {}),
    ("unbind", [T(3, 4)], {"dim": 1}),
    ("flatten", [T(2, 3, 4)], {}),
    ("flatten", [T(2, 3, 4, 5)], {"start_dim": 1, "end_dim": -2}),
    ("reshape", [T(2, 3, 4), [-1, 4]], {}),
    ("reshape", [T(2, 3, 4), [6, -1, 2]], {}),
    ("transpose", [T(2, 3, 4), 0, -1], {}),
    ("permute", [T(2, 3, 4), [2, 0, 1]], {}),
    ("movedim", [T(2, 3, 4), 0, -1], {}),
    ("squeeze", [T(2, 1, 4, 1)], {}),
    ("squeeze", [T(2, 1, 4, 1), 1], {}),
    ("squeeze", [T(2, 1, 4, 1), 0], {}),
    ("unsqueeze", [T(2, 3), -1], {}),
    ("unsqueeze", [T(2, 3), 0], {}),
    ("mean", [T(2, 3, 4)], {}),
    ("mean", [T(2, 3, 4), 1], {}),
    ("mean", [T(2, 3, 4), [1, 2]], {"keepdim": True}),
    ("sum", [T(2, 3, 4), -1], {}),
    ("max", [T(2, 3, 4)], {}),
    ("max", [T(2, 3, 4), 1], {}),
    ("max", [T(2, 3, 4), T(3, 4)], {}),
    ("argmax", [T(2, 3, 4)], {}),
    ("argmax", [T(2, 3, 4)], {"dim": -1, "keepdim": True}),
    ("topk", [T(2, 10), 3], {}),
    ("topk", [T(2, 10), 1], {"dim": 0}),
    ("multinomial", [T(4, 10), 1], {}),
    ("cumsum", [T(2, 5)], {"dim": 1}),
    ("var", [T(2, 5)], {"dim": 1}),
    ("norm", [T(2, 5)], {"dim": 1}),
    ("add", [T(2, 3), T(3)], {}),
    ("add", [T(2, 1, 4), T(3, 1)], {}),
    ("mul", [T(2, 3), 2.0], {}),
    ("where", [T(2, 3), T(2, 3), 0.0], {}),
    ("masked_fill", [T(2, 3, 4), T(3, 4), 0.0], {}),
    ("pow", [T(2, 3), 2], {}),
    ("clamp", [T(2, 3)], {"min": 0}),
    ("tril", [T(4, 4)], {}),
    ("outer", [T(3), T(5)], {}),
    ("zeros", [2, 3], {}),
    ("zeros", [[2, 3]], {}),
    ("ones", [4], {}),
    ("randn", [2, 3, 4], {}),
    ("full", [[2, 3], 1.5], {}),
    ("arange", [5], {}),
    ("arange", [1, 10, 3], {}),
    ("arange", [0, 1, 0.1], {}),
    ("randint", [10, [3, 4]], {}),
    ("randint", [2, 10, [5]], {}),
    ("linspace", [0, 1, 7], {}),
    ("eye", [3], {}),
    ("eye", [3, 5], {}),
    ("zeros_like", [T(2, 3)], {}),
    ("full_like", [T(2, 3), 7], {}),
    ("index_select", [T(3, 4), 0, I(3, 2)], {}),
    ("gather", [T(3, 4), 1, I(4, 3, 2)], {}),
    ("narrow", [T(3, 4), 1, 1, 2], {}),
    ("flip", [T(3, 4), [0, 1]], {}),
    ("roll", [T(3, 4), 1, 0], {}),
]

METHODS = [
    ("view", [T(4, 5, 6), 2, -1], {}),
    ("view", [T(4, 5, 6), [-1]], {}),
    ("view", [T(4, 5, 6), 4, 5, 2, 3], {}),
    ("reshape", [T(4, 5, 6), -1, 6], {}),
    ("view_as", [T(4, 6), T(2, 12)], {}),
    ("permute", [T(2, 3, 4), 2, 0, 1], {}),
    ("permute", [T(2, 3, 4), [0, 2, 1]], {}),
    ("transpose", [T(2, 3, 4), 1, 2], {}),
    ("expand", [T(3, 1), 3, 4], {}),
    ("expand", [T(3, 1), 2, -1, 4], {}),
    ("expand_as", [T(1, 4), T(3, 4)], {}),
    ("repeat", [T(3), 4, 2], {}),
    ("repeat", [T(2, 3), 2, 2], {}),
    ("size", [T(2, 3, 4)], {}),
    ("size", [T(2, 3, 4), -1], {}),
    ("size", [T(2, 3, 4), 1], {}),
    ("dim", [T(2, 3, 4)], {}),
    ("numel", [T(2, 3, 4)], {}),
    ("t", [T(2, 3)], {}),
    ("flatten", [T(2, 3, 4), 1], {}),
    ("unflatten", [T(2, 12), 1, [3, 4]], {}),
    ("unsqueeze", [T(2, 3), 1], {}),
    ("squeeze", [T(1, 3, 1)], {}),
    ("split", [T(10, 4), 4], {}),
    ("chunk", [T(10, 4), 2, 1], {}),
    ("unbind", [T(3, 4)], {}),
    ("mean", [T(2, 3, 4), -1], {"keepdim": True}),
    ("sum", [T(2, 3, 4)], {}),
    ("max", [T(2, 3, 4), -1], {}),
    ("min", [T(2, 3, 4)], {}),
    ("softmax", [T(2, 3), -1], {}),
    ("float", [T(2, 3)], {}),
    ("half", [T(2, 3)], {}),
    ("contiguous", [T(2, 3)], {}),
    ("matmul", [T(2, 3), T(3, 4)], {}),
    ("masked_fill", [T(2, 3), T(2, 3), 0.0], {}),
    ("narrow", [T(4, 6), 0, 1, 2], {}),
    ("flip", [T(4, 6), 0], {}),
    ("roll", [T(4, 6), 1, 1], {}),
    ("norm", [T(4, 6)], {"dim": -1}),
    ("pow", [T(4, 6), 2], {}),
    ("add_", [T(4, 6), T(6)], {}),
]


def run_layer(name, args, kwargs, inputs, fkwargs):
    mod = getattr(nn, name)(*[decode(a) for a in args], **{k: decode(v) for k, v in kwargs.items()})
    if name.startswith("BatchNorm") or name.startswith("InstanceNorm"):
        mod.eval()
    ins = [decode(x) for x in inputs]
    if name == "EmbeddingBag" and len(ins) == 2:
        ins[1] = torch.tensor([0, 2, 5])
    if name == "CrossEntropyLoss" and inputs[1].get("t"):
        ins[1] = ins[1].softmax(-1)
    if name in ("BCELoss",):
        ins = [x.sigmoid() for x in ins]
    if name == "CosineEmbeddingLoss":
        ins[2] = torch.ones(3)
    with torch.no_grad():
        out = mod(*ins, **{k: decode(v) for k, v in fkwargs.items()})
    params = sum(p.numel() for p in mod.parameters())
    return {"params": params, "output": encode(out)}


def run_fn(table, name, args, kwargs):
    ins = [decode(a) for a in args]
    kw = {k: decode(v) for k, v in kwargs.items()}
    if name in ("zeros", "ones", "randn") and isinstance(args[0], list):
        ins = [list(args[0])]
    if name == "full":
        ins = [list(args[0]), args[1]]
    if name == "randint":
        ins = args[:-1] + [tuple(args[-1])]
    if name == "multinomial":
        ins[0] = ins[0].softmax(-1)
    if name == "where":
        ins[0] = ins[0] > 0
    if name == "masked_fill":
        ins[1] = ins[1] > 0
    if name == "gather":
        ins[2] = torch.randint(0, 4, (3, 2))
    if table == "fn":
        fn = getattr(F, name, None) if name in ("conv1d", "conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d",
                                                  "adaptive_avg_pool2d", "interpolate", "pad", "layer_norm", "group_norm",
                                                  "normalize", "embedding", "one_hot", "cross_entropy", "mse_loss",
                                                  "binary_cross_entropy_with_logits", "gelu", "glu", "dropout", "linear") else None
        fn = fn or getattr(torch, name)
        out = fn(*ins, **kw)
    else:
        out = getattr(ins[0], name)(*ins[1:], **kw)
    return encode(out)


def main():
    out = {"torch": torch.__version__, "layers": [], "functions": [], "methods": []}
    for name, args, kwargs, inputs, fkwargs in LAYERS:
        out["layers"].append({"layer": name, "args": args, "kwargs": kwargs, "inputs": inputs, "fkwargs": fkwargs, **run_layer(name, args, kwargs, inputs, fkwargs)})
    for name, args, kwargs in FUNCTIONS:
        out["functions"].append({"fn": name, "args": args, "kwargs": kwargs, "output": run_fn("fn", name, args, kwargs)})
    for name, args, kwargs in METHODS:
        out["methods"].append({"method": name, "args": args, "kwargs": kwargs, "output": run_fn("method", name, args, kwargs)})
    json.dump(out, sys.stdout, indent=1)


main()
