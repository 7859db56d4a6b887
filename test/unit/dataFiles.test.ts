/**
 * Data files a script reads (issue 14, cause 3): the names the core asks a host for, the facts a host computes
 * (src/core/dataFacts.ts; never contents), the host's workspace/size/time limits (src/cli/dataFiles.ts), and the
 * evaluator's use of the facts one construct at a time (lib/dataFiles.ts).
 */
import { describe, expect, it, vi } from 'vitest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { dataFileNames, type DataFacts, type DataFileSource } from '../../src/core/dataFiles';
import { DataFactsBuilder, dataFactsOf, npyHeader } from '../../src/core/dataFacts';
import { readDataFiles, DEFAULT_DATA_LIMITS } from '../../src/cli/dataFiles';
import { ModuleReader } from '../../src/extension/moduleReader';
import { fake, Uri } from './securityFakes';
import { Interpreter } from '../../src/core/interpret/interpreter';
import { describe as show, isKind } from '../../src/core/interpret/values';
import { analyze } from '../../src/core/analyze';
import { analyzeFile } from '../../src/cli/analyzeFile';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);

const bytes = (s: string) => new TextEncoder().encode(s);

describe('facts of a data file', () => {
  it('a text: characters, lines, words and the distinct ones, as Python counts them', () => {
    const f = dataFactsOf('text', bytes('to be or\nnot to be\r\n\nthé end'));
    expect(f.text).toEqual({ chars: 28, lines: 4, nonEmptyLines: 3, words: 8, distinctChars: 12, distinctWords: 6, firstLineWords: 3, breakChars: 4, breakKinds: 2, newlines: 3 });
  });

  it('the same counts when the bytes arrive in chunks that split a word and a multi-byte character', () => {
    const all = bytes('alpha beta\ngamma été\n');
    const whole = dataFactsOf('text', all);
    const b = new DataFactsBuilder('text', all.length);
    for (const cut of [[0, 3], [3, 16], [16, all.length]]) b.add(all.subarray(cut[0], cut[1]));
    expect(b.finish()).toEqual(whole);
  });

  it('a CSV: records and columns, a header detected (quoted newlines stay in their record)', () => {
    const withHeader = dataFactsOf('csv', bytes('a,b,label\n1,2,0\n3,"4\n5",1\n\n'));
    expect(withHeader.table).toEqual({ records: 3, columns: 3, header: true, delimiter: ',' });
    const numbers = dataFactsOf('csv', bytes('-0.29,0.49,0\n-0.88,-0.14,1\n'));
    expect(numbers.table).toEqual({ records: 2, columns: 3, header: false, delimiter: ',' });
  });

  it('JSON: the top-level array length or object keys; JSON Lines: records', () => {
    expect(dataFactsOf('json', bytes('[{"a": [1, 2], "b": "x,]"}, {"a": 3}, 4]')).json).toEqual({ top: 'array', length: 3 });
    expect(dataFactsOf('json', bytes('{"a": {"b": 1, "c": 2}, "d": [1,2]}')).json).toEqual({ top: 'object', length: 2 });
    expect(dataFactsOf('json', bytes('[]')).json).toEqual({ top: 'array', length: 0 });
    expect(dataFactsOf('jsonl', bytes('{"a": 1}\n{"a": 2}\n\n')).jsonl).toEqual({ records: 2 });
  });

  it('.npy: shape and dtype from the header; anything else is not one', () => {
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (759, 9), }";
    const pad = ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
    const b = new Uint8Array([0x93, ...bytes('NUMPY'), 1, 0, (header + pad).length, 0, ...bytes(header + pad)]);
    expect(npyHeader(b)).toEqual({ shape: [759, 9], dtype: '<f4' });
    expect(dataFactsOf('npy', b).npy).toEqual({ shape: [759, 9], dtype: '<f4' });
    expect(npyHeader(bytes('not numpy at all'))).toBeUndefined();
  });
});

describe('the data files a script names', () => {
  it('literal paths, argparse defaults, and bare file names joined to folder-like literals', () => {
    const names = dataFileNames([
      "xy = np.loadtxt('./data/diabetes.csv.gz', delimiter=',')\nparser.add_argument('--data', default='./data/wikitext-2')",
      "self.train = self.tokenize(os.path.join(path, 'train.txt'))\nmodel.load('model.pt')",
    ]);
    expect(names).toEqual(['data/diabetes.csv.gz', 'train.txt', 'data/wikitext-2/train.txt']);
    expect(dataFileNames(["open('/etc/passwd.txt')", "open('~/x.csv')", "print('hello world')"])).toEqual([]);
    expect(dataFileNames(["root = 'data/kaggle'\ndf = pd.read_csv(f'{root}/train.csv')"])).toEqual(['train.csv', 'data/kaggle/train.csv']);
  });
});

describe('the host reads inside the workspace, within size and time', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-data-'));

  it('reads a gzipped CSV beside the script and names the file', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'data'));
    fs.writeFileSync(path.join(root, 'data', 'd.csv.gz'), zlib.gzipSync('1,2,0\n3,4,1\n5,6,1\n'));
    const script = path.join(root, 'train.py');
    const text = "import numpy as np\nxy = np.loadtxt('./data/d.csv.gz', delimiter=',')\n";
    fs.writeFileSync(script, text);
    const got = readDataFiles(script, [text], root);
    expect(got).toEqual([{ name: 'data/d.csv.gz', path: 'data/d.csv.gz', facts: expect.objectContaining({ format: 'csv', gzip: true, table: { records: 3, columns: 3, header: false, delimiter: ',' } }) }]);
  });

  it('never reads outside the workspace folder, directly or through a link', () => {
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'x y z\n');
    const root = tmp();
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'linked.txt'));
    const script = path.join(root, 's.py');
    const text = `open('../${path.basename(outside)}/secret.txt').read()\nopen('linked.txt').read()\n`;
    expect(readDataFiles(script, [text], root)).toEqual([]);
  });

  it('a file over the size cap is not read, and said; so is one past the time budget (an injected clock)', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'big.txt'), 'word '.repeat(1000));
    const script = path.join(root, 's.py');
    const skipped: string[] = [];
    expect(readDataFiles(script, ["open('big.txt')"], root, skipped, { ...DEFAULT_DATA_LIMITS, maxBytes: 1000 })).toEqual([]);
    expect(skipped[0]).toMatch(/did not read the data file big\.txt: .* over the .* limit/);
    let t = 0;
    const late: string[] = [];
    expect(readDataFiles(script, ["open('big.txt')"], root, late, { ...DEFAULT_DATA_LIMITS, budgetMs: 10, now: () => (t += 100) })).toEqual([]);
    expect(late[0]).toMatch(/stopped reading the data file big\.txt: over the .* budget/);
  });

  it('the extension reads through the workspace file system: inside the folder, never through a link, again when a file changes', async () => {
    const root = fs.realpathSync(tmp());
    const outside = tmp();
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'x y z\n');
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'linked.txt'));
    const file = path.join(root, 'names.txt');
    fs.writeFileSync(file, 'emma\nolivia\n');
    fake.reset();
    fake.folders = [{ uri: Uri.file(root), name: 'ws', index: 0 }];
    const reader = new ModuleReader(() => []);
    const script = Uri.file(path.join(root, 's.py')) as never;
    const texts = ["open('names.txt')", "open('linked.txt')", `open('../${path.basename(outside)}/secret.txt')`];
    const first = await reader.readDataFiles(script, texts);
    expect(first.files.map((f) => [f.path, f.facts.text?.lines])).toEqual([['names.txt', 2]]);
    expect(fake.touched.filter((u) => !u.startsWith(`file://${root}/`)), 'URIs touched outside the workspace').toEqual([]);
    fs.writeFileSync(file, 'emma\nolivia\nava\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await reader.readDataFiles(script, texts)).files[0].facts.text?.lines).toBe(3);
    const small = await new ModuleReader(() => []).readDataFiles(script, texts, { ...DEFAULT_DATA_LIMITS, maxBytes: 4 });
    expect(small.files).toEqual([]);
    expect(small.skipped[0]).toMatch(/did not read the data file names\.txt: .* over the .* limit/);
  });

  it('a JSON file too large for a config is read as data, without a config-size warning', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'records.json'), JSON.stringify(Array.from({ length: 30_000 }, (_, i) => ({ instruction: `task ${i}`, output: 'done' }))));
    const script = path.join(root, 'train.py');
    fs.writeFileSync(script, "import json\nrecords = json.load(open('records.json'))\nn = len(records)\n");
    const a = analyzeFile(script, { root });
    expect(a.problems.filter((p) => /config file records\.json/.test(p.message))).toEqual([]);
    expect(a.problems.some((p) => p.code === 'data-file' && /30,000 records from the workspace file records\.json/.test(p.message))).toBe(true);
  });

  it('the CLI analysis uses them unless told not to', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'd.csv'), Array.from({ length: 759 }, () => '1,2,3,4,5,6,7,8,0').join('\n') + '\n');
    const script = path.join(root, 'train.py');
    fs.writeFileSync(script, FULL_BATCH);
    expect(analyzeFile(script, { root }).step.batch).toBe(759);
    expect(analyzeFile(script, { root, readDataFiles: false }).step.batch).not.toBe(759);
  });
});

const FULL_BATCH = `
import numpy as np
import torch
from torch import nn
xy = np.loadtxt('d.csv', delimiter=',', dtype=np.float32)
x_data = torch.from_numpy(xy[:, 0:-1])
y_data = torch.from_numpy(xy[:, [-1]])
model = nn.Linear(8, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(100):
    loss = nn.functional.mse_loss(model(x_data), y_data)
    opt.zero_grad()
    loss.backward()
    opt.step()
`;

const text = (t: Partial<NonNullable<DataFacts['text']>>): DataFacts => ({
  bytes: 1000, format: 'text', text: { chars: 0, lines: 0, nonEmptyLines: 0, words: 0, distinctChars: 0, firstLineWords: 0, ...t },
});
const ANNA: DataFileSource = { name: 'data/anna.txt', path: 'data/anna.txt', facts: text({ chars: 1_985_223, lines: 39_678, nonEmptyLines: 31_000, words: 351_000, distinctChars: 83, distinctWords: 39_000 }) };
const TABLE: DataFileSource = { name: 'data/d.csv', path: 'data/d.csv', facts: { bytes: 5000, format: 'csv', table: { records: 760, columns: 9, header: true, delimiter: ',' } } };
const RECORDS: DataFileSource = { name: 'alpaca_data.json', path: 'alpaca_data.json', facts: { bytes: 22_000_000, format: 'json', json: { top: 'array', length: 52_002 } } };

/** Evaluates `python` with `dataFiles` and renders the named variables. */
function run(python: string, keys: string[], dataFiles: DataFileSource[] = [ANNA, TABLE, RECORDS]): Record<string, string> {
  const it = new Interpreter({ modules: [], dataFiles, defaultBatch: 32, defaultSeqLen: 128, defaultDtype: 'fp32' });
  const { scope } = it.runMain(python, 'snippet.py');
  const out: Record<string, string> = {};
  for (const k of keys) {
    const v = scope.get(k);
    out[k] = v === undefined ? '<unbound>' : isKind(v, 'tensor') ? `tensor[${v.shape.join(', ')}]` : show(v);
  }
  return out;
}

describe('the evaluator uses the facts', () => {
  it("a text's length, distinct characters (set, sorted set, tuple of a set) and their length", () => {
    expect(run(`
with open('data/anna.txt', 'r') as f:
    text = f.read()
n = len(text)
vocab = len(sorted(set(text)))
chars = tuple(set(text))
n_chars = len(chars)
`, ['n', 'vocab', 'n_chars'])).toEqual({ n: '1985223', vocab: '83', n_chars: '83' });
  });

  it('words, distinct words, lines (splitlines, readlines)', () => {
    expect(run(`
text = open('data/anna.txt').read()
words = text.split()
n_words = len(words)
vocab = len(set(words))
from collections import Counter
counted = len(Counter(words))
n_lines = len(text.splitlines())
n_read = len(open('data/anna.txt').readlines())
`, ['n_words', 'vocab', 'counted', 'n_lines', 'n_read'])).toEqual({ n_words: '351000', vocab: '39000', counted: '39000', n_lines: '39678', n_read: '39678' });
  });

  it("a text encoded character by character is an array of the text's length (not materialised)", () => {
    expect(run(`
import numpy as np
import torch
text = open('data/anna.txt').read()
chars = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(chars)}
encoded = np.array([stoi[ch] for ch in text])
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
n_val = int(len(data) * 0.1)
`, ['encoded', 'data', 'n_val'])).toEqual({ encoded: 'tensor[1985223]', data: 'tensor[1985223]', n_val: '198522' });
  });

  it("''.join(text.splitlines()): the text without its line breaks, so set() of it is the distinct characters less them", () => {
    const names: DataFileSource = { name: 'names.txt', path: 'names.txt', facts: dataFactsOf('text', bytes('emma\nolivia\nava\n')) };
    expect(run(`
words = open('names.txt', 'r').read().splitlines()
chars = sorted(list(set(''.join(words))))
vocab_size = len(chars) + 1
n = len(''.join(words))
pieces = len(open('names.txt').read().split('\\n'))
`, ['vocab_size', 'n', 'pieces'], [names])).toEqual({ vocab_size: '8', n: '13', pieces: '4' });
  });

  it('pathlib paths of known parts (Path(a) / b, joinpath, read_text, open) and os.path.exists of a file the host found', () => {
    expect(run(`
import os
from pathlib import Path
root = Path('data')
n = len((root / 'anna.txt').read_text())
m = len(root.joinpath('anna.txt').open().read())
there = os.path.exists(os.path.join('data', 'anna.txt'))
absent = os.path.exists('data/none.txt')
`, ['n', 'm', 'there', 'absent'])).toEqual({ n: '1985223', m: '1985223', there: 'true', absent: 'false' });
  });

  it('np.loadtxt / pd.read_csv of a table: rows × columns (pandas takes the header row as names)', () => {
    expect(run(`
import numpy as np
import pandas as pd
xy = np.loadtxt('data/d.csv', delimiter=',', skiprows=1)
rows = xy.shape[0]
df = pd.read_csv('data/d.csv')
n = len(df)
cols = np.genfromtxt('data/d.csv', delimiter=',', skip_header=1, usecols=(0, 1))
n_cols = df.shape[1]
`, ['xy', 'rows', 'n_cols', 'n', 'cols'])).toEqual({ xy: 'tensor[759, 9]', rows: '759', n_cols: '9', n: '759', cols: 'tensor[759, 2]' });
  });

  it('a pandas table keeps its shape through .iloc/.loc/columns/drop/head/values, and train_test_split splits its rows', () => {
    const r = run(`
import pandas as pd
import torch
from sklearn.model_selection import train_test_split
df = pd.read_csv('data/d.csv')
X = df.iloc[:, :-1].values
y = df.iloc[:, -1].values
Xd = df.drop(columns=['label']).to_numpy()
two = df.loc[:, ['a', 'b']].values
texts = df['text'].tolist()
n_texts = len(texts)
head = df.head(10).values
t = torch.tensor(X, dtype=torch.float32)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
kept = df[df['a'] > 1]
`, ['X', 'y', 'Xd', 'two', 'n_texts', 'head', 't', 'X_train', 'X_test', 'y_train', 'kept']);
    expect(r).toEqual({
      X: 'tensor[759, 8]', y: 'tensor[759]', Xd: 'tensor[759, 8]', two: 'tensor[759, 2]', n_texts: '759', head: 'tensor[10, 9]', t: 'tensor[759, 8]',
      X_train: 'tensor[607, 8]', X_test: 'tensor[152, 8]', y_train: 'tensor[607]', kept: 'unknown (rows of a table picked by a condition)',
    });
  });

  it("a token stream built per line of a data file (word_language_model's Corpus) is never its line count", () => {
    const r = run(`
import torch
idss = []
with open('data/anna.txt') as f:
    for line in f:
        words = line.split() + ['<eos>']
        ids = []
        for word in words:
            ids.append(len(word))
        idss.append(torch.tensor(ids).type(torch.int64))
stream = torch.cat(idss)
`, ['stream']);
    expect(r.stream).not.toBe('tensor[39678]');
    expect(r.stream).toBe('tensor[100000000]'); // the stated flat array of a stream whose length only data decides
  });

  it("a vocabulary a script counts from a text it reads (a Dictionary of its words) is stated as the file's distinct words", () => {
    const corpus: DataFileSource = { name: 'corpus/train.txt', path: 'corpus/train.txt', facts: text({ chars: 900_000, lines: 20_000, nonEmptyLines: 18_000, words: 150_000, distinctWords: 12_345, distinctChars: 90 }) };
    expect(run(`
class Dictionary:
    def __init__(self):
        self.word2idx = {}
        self.idx2word = []
    def add_word(self, word):
        if word not in self.word2idx:
            self.idx2word.append(word)
            self.word2idx[word] = len(self.idx2word) - 1
    def __len__(self):
        return len(self.idx2word)
d = Dictionary()
with open('corpus/train.txt') as f:
    for line in f:
        for word in line.split() + ['<eos>']:
            d.add_word(word)
ntokens = len(d)
`, ['ntokens'], [corpus])).toEqual({ ntokens: '12345' });
  });

  it('json.load of a list of records: its length', () => {
    expect(run(`
import json
data = json.load(open('alpaca_data.json'))
n = len(data)
`, ['n'])).toEqual({ n: '52002' });
  });

  it('a file the host did not give stays unknown (the stated default path), never a count of 0 or 1', () => {
    const r = run(`
import numpy as np
text = open('data/other.txt').read()
n = len(text)
xy = np.loadtxt('data/missing.csv', delimiter=',')
`, ['n', 'xy'], [ANNA]);
    expect(r.n).toMatch(/unknown/);
    expect(r.xy).toMatch(/unknown/);
  });
});

describe('in an analysis', () => {
  it('a full-batch script over a CSV: the batch is its rows, and the figure names the file', () => {
    const a = analyze({ text: FULL_BATCH.replace("'d.csv'", "'data/d.csv'"), file: 'train.py', dataFiles: [{ ...TABLE, facts: { ...TABLE.facts, table: { records: 759, columns: 9, header: false, delimiter: ',' } } }] });
    expect(a.step.batch).toBe(759);
    expect(a.problems.some((p) => p.code === 'data-file' && /759 rows × 9 columns from the workspace file data\/d\.csv/.test(p.message))).toBe(true);
  });

  it("a Trainer over the script's own Dataset of JSON records (an Alpaca-style SFT script): steps from the records", () => {
    const src = `
import json
import transformers
from torch.utils.data import Dataset
class SupervisedDataset(Dataset):
    def __init__(self, data_path, tokenizer):
        records = json.load(open(data_path))
        sources = [f"{r['instruction']} {r['output']}" for r in records]
        self.input_ids = [tokenizer(s, return_tensors="pt").input_ids[0] for s in sources]
    def __len__(self):
        return len(self.input_ids)
    def __getitem__(self, i):
        return dict(input_ids=self.input_ids[i])
tokenizer = transformers.AutoTokenizer.from_pretrained("facebook/opt-125m")
model = transformers.AutoModelForCausalLM.from_pretrained("facebook/opt-125m")
args = transformers.TrainingArguments(output_dir="out", per_device_train_batch_size=8, num_train_epochs=3)
trainer = transformers.Trainer(model=model, args=args, train_dataset=SupervisedDataset("alpaca_data.json", tokenizer))
trainer.train()
`;
    expect(analyze({ text: src, file: 'train.py', dataFiles: [RECORDS], settings: { overrides: { seq: '512' } } }).run.steps).toBe(3 * Math.ceil(52_002 / 8));
  });

  it("a Dataset whose __len__ is the array's rows: the steps follow from the file", () => {
    const src = `
import numpy as np
import torch
from torch.utils.data import Dataset, DataLoader
class D(Dataset):
    def __init__(self):
        xy = np.loadtxt('data/d.csv', delimiter=',', dtype=np.float32, skiprows=1)
        self.len = xy.shape[0]
        self.x = torch.from_numpy(xy[:, 0:-1])
        self.y = torch.from_numpy(xy[:, [-1]])
    def __getitem__(self, i):
        return self.x[i], self.y[i]
    def __len__(self):
        return self.len
loader = DataLoader(D(), batch_size=32, shuffle=True)
model = torch.nn.Linear(8, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for x, y in loader:
        loss = torch.nn.functional.mse_loss(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
`;
    expect(analyze({ text: src, file: 'train.py', dataFiles: [TABLE] }).run.steps).toBe(2 * Math.ceil(759 / 32));
  });
});
