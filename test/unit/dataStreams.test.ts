/**
 * Containers filled from a file the script reads (issue 14, point 3): the loop over the file's lines is walked once,
 * so what it appended to (directly or through a method of an object it reaches) holds data-many items — never the
 * one item the walk left — and a token stream concatenated from the lines is a flat array of stated length.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { facts } from './snippetCheck';

const DICTIONARY = `
import torch
class Dictionary:
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []
    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
        return self.word2idx[word]
    def __len__(self):
        return len(self.idx2word)
`;

const CORPUS = `${DICTIONARY}
class Corpus:
    def __init__(self, path):
        self.dictionary = Dictionary()
        self.train = self.tokenize(path)
    def tokenize(self, path):
        with open(path, 'r') as f:
            for line in f:
                for word in line.split() + ['<eos>']:
                    self.dictionary.add_word(word)
        with open(path, 'r') as f:
            idss = []
            for line in f:
                ids = []
                for w in line.split():
                    ids.append(self.dictionary.word2idx[w])
                idss.append(torch.tensor(ids).type(torch.int64))
            ids = torch.cat(idss)
        return ids
corpus = Corpus('data/train.txt')
n = len(corpus.dictionary)
t = corpus.train
def batchify(data, bsz):
    nbatch = data.size(0) // bsz
    data = data.narrow(0, 0, nbatch * bsz)
    return data.view(bsz, -1).t().contiguous()
b = batchify(t, 20)
`;

describe('containers filled in a loop over a file', () => {
  it('a list a method appends to, called in the loop, has an unknown length (not the 1 item of the walk)', () => {
    expect(facts(CORPUS, ['n'])).toBe('n = unknown (a list filled in a loop over data)');
  });
  it('a list two attributes deep is reached too; one filled before the loop keeps its length', () => {
    expect(facts(`${DICTIONARY}
class Holder:
    def __init__(self):
        self.d = Dictionary()
h = Holder()
h.d.add_word('a')
k = len(h.d)
for line in open('x.txt'):
    h.d.add_word(line)
m = len(h.d)
`, ['k', 'm'])).toBe('k = 1\nm = unknown (a list filled in a loop over data)');
  });
  it('torch.cat of per-line token tensors is a flat stream of stated length; batchify keeps the batch', () => {
    expect(facts(CORPUS, ['t', 'b'])).toBe('t = tensor[100000000]\nb = tensor[5000000, 20]');
  });
  it('the stream\'s length is stated as an assumption, and concatenating 2-D pieces from data is unknown', () => {
    const a = analyze({ text: CORPUS, file: 'snippet.py' });
    expect(a.problems.some((p) => p.code === 'data-file' && /torch\.cat/.test(p.message))).toBe(true);
    expect(facts(`
import torch
rows = []
for line in open('x.txt'):
    rows.append(torch.zeros(1, 8))
x = torch.cat(rows)
`, ['x'])).toMatch(/^x = unknown \(torch\.cat of a list filled in a loop over data/);
  });
});

describe('Hugging Face datasets loaded as a list of splits', () => {
  it('load_dataset(name, split=[...]) is one dataset per split, each of its catalog size, and splits further', () => {
    expect(facts(`
import datasets
train_data, test_data = datasets.load_dataset("imdb", split=["train", "test"])
a = len(train_data)
b = len(test_data)
c = len(train_data.train_test_split(test_size=0.25)["train"])
`, ['a', 'b', 'c'])).toBe('a = 25000\nb = 25000\nc = 18750');
  });
  it('a dataset the catalog lacks gives one dataset of unknown size per split, not one object to unpack', () => {
    expect(facts(`
import datasets
tr, va = datasets.load_dataset("someone/private-set", split=["train", "validation"])
a = len(tr)
`, ['a'])).toMatch(/^a = unknown/);
  });
});

describe('arrays read from data files', () => {
  const SCRIPT = `
import numpy as np, torch
import torch.nn as nn
from torch.utils.data import Dataset, DataLoader
class DiabetesDataset(Dataset):
    def __init__(self):
        xy = np.loadtxt('./data/diabetes.csv.gz', delimiter=',', dtype=np.float32)
        self.len = xy.shape[0]
        self.x_data = torch.from_numpy(xy[:, 0:-1])
    def __getitem__(self, index):
        return self.x_data[index]
    def __len__(self):
        return self.len
ds = DiabetesDataset()
m = len(ds)
loader = DataLoader(ds, batch_size=32, shuffle=True)
model = nn.Linear(8, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for x in loader:
        loss = model(x).sum()
        opt.zero_grad(); loss.backward(); opt.step()
`;
  it('the first dim of np.loadtxt(...) is the file\'s row count (unknown), not the batch', () => {
    expect(facts(SCRIPT, ['m'])).toBe('m = unknown');
  });
  it('a Dataset sized by it has unknown steps, stated as an assumption (never 2 silent steps)', () => {
    const a = analyze({ text: SCRIPT, file: 'snippet.py' });
    expect(a.run.steps).toBeGreaterThan(2);
    expect(a.assumptions.some((x) => /step/i.test(JSON.stringify(x)))).toBe(true);
  });
});

describe('label columns of a catalog classification dataset', () => {
  it('ds.unique("label") and ds["label"].unique() are the class ids, so a head sized by their length is counted', () => {
    expect(facts(`
import datasets
import torch.nn as nn
train_data, test_data = datasets.load_dataset("imdb", split=["train", "test"])
train_data = train_data.train_test_split(test_size=0.25)["train"].with_format(type="torch", columns=["ids", "label"])
k = len(train_data.unique("label"))
k2 = len(train_data["label"].unique())
fc = nn.Linear(300, k)
`, ['k', 'k2', 'params(fc)'])).toBe('k = 2\nk2 = 2\nparams(fc) = 602');
  });
  it('another column, or a dataset the catalog lacks, stays unknown (never a guessed class count)', () => {
    expect(facts(`
import datasets
ds = datasets.load_dataset("someone/private-set", split="train")
a = ds.unique("label")
b = datasets.load_dataset("imdb", split="train").unique("text")
`, ['a', 'b'])).toMatch(/^a = unknown.*\nb = unknown/);
  });
});

describe("a catalog corpus's training text that is not in the workspace (catalogTexts.ts)", () => {
  const WIKITEXT = CORPUS.replace("Corpus('data/train.txt')", "Corpus('./data/wikitext-2/train.txt')");
  it("its lines are the catalog's training tokens, stated with the file", () => {
    expect(facts(WIKITEXT, ['t', 'b'])).toBe('t = tensor[2088628]\nb = tensor[104431, 20]');
    const a = analyze({ text: WIKITEXT, file: 'main.py' });
    expect(a.problems.some((p) => p.message.includes("'./data/wikitext-2/train.txt' is not in the workspace") && p.message.includes('2,088,628 tokens'))).toBe(true);
  });
  it("a vocabulary counted in a module that names no file is the catalog's when a text the script reads is in the corpus's folder", () => {
    const valid = { name: 'data/wikitext-2/valid.txt', path: 'data/wikitext-2/valid.txt', facts: { bytes: 1_121_681, format: 'text' as const, text: { chars: 1_121_681, lines: 3_760, nonEmptyLines: 2_461, words: 217_646, firstLineWords: 0, distinctChars: 270, distinctWords: 13_781 } } };
    // word_language_model's layout: the Corpus in data.py (which opens files but names none), the path in main.py.
    const data = CORPUS.slice(0, CORPUS.indexOf("corpus = Corpus("));
    const main = "import torch\nimport torch.nn as nn\nimport data\ncorpus = data.Corpus('./data/wikitext-2/train.txt')\nntokens = len(corpus.dictionary)\nm = nn.Embedding(ntokens, 16)\ny = m(corpus.train[:35])\n";
    const a = analyze({ text: main, file: 'main.py', dataFiles: [valid], modules: [{ name: 'data', path: 'data.py', text: data }] });
    expect(a.model.params).toBe(33_278 * 16);
  });
});
