/**
 * Library modules FlopLens evaluates from a description of its own: small nn.Module models and datasets that ship inside
 * a library (Lightning's demos) and that scripts import and train as they are. The core reads no installed package,
 * so each is written here in plain Python the evaluator runs like a local module: the same layers, the same
 * constructor defaults and the same dataset length as the library's code at the version named, not a copy of it.
 * An import of a name listed here (that the workspace does not provide itself) loads it.
 */
import type { ModuleSource } from '../api';

/**
 * Lightning 2.x `lightning.pytorch.demos` (src/lightning/pytorch/demos/transformer.py, Lightning-AI/pytorch-lightning
 * at 7f0c343): `Transformer(vocab_size=33278, ninp=200, nhead=2, nhid=200, nlayers=2, dropout=0.2)` is an embedding
 * shared by source and target, `nn.Transformer(d_model=ninp, nhead, nlayers encoder + nlayers decoder layers,
 * dim_feedforward=nhid, batch_first=True)` with a causal target mask, and a `Linear(ninp, vocab_size)` decoder whose
 * log-softmax is flattened to [batch·t, vocab] (the sinusoidal positions are a table, not parameters).
 * `WikiText2(data_dir, block_size=35)` downloads pytorch/examples' word_language_model/data/wikitext-2/train.txt and
 * tokenizes it by words plus `<eos>` per line: 2,088,628 tokens, 33,278 distinct (the WikiText-2 train split's figures,
 * Merity et al. 2016); its length is tokens // block_size - 1 and an item is (tokens[i·b : i·b+b], the same shifted by 1).
 */
const LIGHTNING_DEMOS = `
import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import Dataset

WIKITEXT2_TRAIN_TOKENS = 2088628
WIKITEXT2_VOCAB = 33278


class PositionalEncoding(nn.Module):
    def __init__(self, dim, dropout=0.1, max_len=5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)

    def forward(self, x):
        return self.dropout(x)


class Transformer(nn.Module):
    def __init__(self, vocab_size=WIKITEXT2_VOCAB, ninp=200, nhead=2, nhid=200, nlayers=2, dropout=0.2):
        super().__init__()
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers, dim_feedforward=nhid, dropout=dropout, batch_first=True)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size

    def forward(self, inputs, target, mask=None):
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        tgt = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        t = inputs.shape[1]
        if mask is None:
            mask = torch.triu(torch.ones(t, t), diagonal=1)
        output = self.transformer(src, tgt, tgt_mask=mask)
        output = F.log_softmax(self.decoder(output), dim=-1)
        return output.view(-1, self.vocab_size)


class WikiText2(Dataset):
    def __init__(self, data_dir=None, block_size=35, download=True):
        super().__init__()
        self.data = torch.zeros(WIKITEXT2_TRAIN_TOKENS, dtype=torch.long)
        self.block_size = block_size
        self.vocab_size = WIKITEXT2_VOCAB

    def __len__(self):
        return len(self.data) // self.block_size - 1

    def __getitem__(self, index):
        start = index * self.block_size
        end = start + self.block_size
        return self.data[start:end], self.data[start + 1:end + 1]
`;

const MODULES: Record<string, string> = {
  'lightning.pytorch.demos': LIGHTNING_DEMOS,
  'lightning.pytorch.demos.transformer': LIGHTNING_DEMOS,
  'pytorch_lightning.demos': LIGHTNING_DEMOS,
  'pytorch_lightning.demos.transformer': LIGHTNING_DEMOS,
};

/** The description of library module `name`, as a module source the evaluator loads, when FlopLens has one. */
export function libraryModule(name: string): ModuleSource | undefined {
  const text = MODULES[name];
  return text === undefined ? undefined : { name, path: `<library>/${name.replace(/\./g, '/')}.py`, text };
}
