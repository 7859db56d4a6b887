/**
 * A notebook's saved outputs as evidence (src/core/interpret/savedOutputs.ts): a cell's last expression and its
 * execute_result, print(...) calls and their stdout lines. Where the script's own value is data FlopLens does not read,
 * the value the notebook showed is used from that point on and said; a value the script determines is kept; ambiguous
 * or mismatched outputs are not used; malformed outputs are skipped without a crash.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { MAX_OUTPUT_CHARS, readNotebook } from '../../src/core/notebook';
import { parseRepr } from '../../src/core/interpret/savedOutputs';
import { parseModuleRepr } from '../../src/core/interpret/moduleRepr';
import type { Analysis } from '../../src/core/types';
import { cellOutputs, type OutputCell } from '../../src/extension/notebookOutputs';

type Cell = { code: string; result?: string; stdout?: string | string[] };

/** An .ipynb text of code cells with saved outputs (a markdown cell first, so cell numbers count it). */
function notebook(cells: Cell[], raw?: unknown[]): string {
  return JSON.stringify({
    cells: [
      { cell_type: 'markdown', source: ['# title'] },
      ...cells.map((c, i) => ({
        cell_type: 'code',
        source: c.code,
        outputs: raw?.[i] ?? [
          ...(c.stdout !== undefined ? [{ output_type: 'stream', name: 'stdout', text: c.stdout }] : []),
          ...(c.result !== undefined ? [{ output_type: 'execute_result', execution_count: i + 1, data: { 'text/plain': c.result }, metadata: {} }] : []),
        ],
      })),
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });
}

function run(cells: Cell[], raw?: unknown[]): Analysis {
  const nb = readNotebook(notebook(cells, raw));
  return analyze({ text: '', file: 'nb.ipynb', cells: nb.cells, cellOutputs: nb.outputs });
}

const said = (a: Analysis) => a.problems.filter((p) => p.code === 'notebook-output').map((p) => p.message);

const BUILD = 'import torch\nimport torch.nn as nn\nimport torchtext\nvocab = torchtext.vocab.build_vocab_from_iterator(train_data["tokens"], min_freq=5)';
const MODEL = 'vocab_size = len(vocab)\nmodel = nn.Embedding(vocab_size, 300)\ny = model(torch.zeros(8, 16, dtype=torch.long))';

describe('a cell whose last expression has a saved execute_result', () => {
  it('len(vocab) → 21635: the vocabulary built from data is 21,635, said with the cell', () => {
    const a = run([{ code: BUILD }, { code: 'len(vocab)', result: '21635' }, { code: MODEL }]);
    expect(a.model.params).toBe(21635 * 300);
    expect(said(a)).toEqual([expect.stringMatching(/^len\(vocab\) = 21,635 from the notebook's saved output of cell 3/)]);
    // The data default it replaces is no longer stated.
    expect(a.problems.filter((p) => p.code === 'data-vocab')).toEqual([]);
  });

  it('a tuple of lengths → (5893, 7853) binds each', () => {
    const a = run([
      { code: 'import torch.nn as nn\nimport torchtext\nen_vocab = torchtext.vocab.build_vocab_from_iterator(a)\nde_vocab = torchtext.vocab.build_vocab_from_iterator(b)' },
      { code: 'len(en_vocab), len(de_vocab)', result: '(5893, 7853)' },
      { code: 'enc = nn.Embedding(len(de_vocab), 256)\nout = nn.Linear(512, len(en_vocab))\nmodel = nn.ModuleList([enc, out])' },
    ]);
    expect(a.model.params).toBe(7853 * 256 + 512 * 5893 + 5893);
    expect(said(a)).toHaveLength(2);
  });

  it('x.shape → torch.Size([64, 300]): an unknown tensor takes that shape', () => {
    const a = run([
      { code: 'import torch\nimport torch.nn as nn\nfeats = load_features("data.npy")' },
      { code: 'feats.shape', result: 'torch.Size([64, 300])' },
      { code: 'model = nn.Linear(feats.shape[1], 10)\ny = model(feats)' },
    ]);
    expect(a.model.params).toBe(3010);
    expect(a.step.forwardFlops).toBe(2 * 64 * 300 * 10);
    expect(said(a)[0]).toMatch(/^feats\.shape = \[64, 300\] from the notebook's saved output of cell 3/);
  });

  it('a Hugging Face Dataset repr gives the length of a dataset of unknown size', () => {
    const a = run([
      { code: 'import datasets\ntrain = datasets.load_dataset("someone/unlisted-corpus", split="train")' },
      { code: 'train', result: "Dataset({\n    features: ['en', 'de'],\n    num_rows: 29000\n})" },
      { code: 'n_train = len(train)' },
    ]);
    expect(said(a)).toEqual([expect.stringMatching(/^train = 29,000 from the notebook's saved output of cell 3/)]);
  });

  it('a semicolon hides the value: the output is not used', () => {
    const a = run([{ code: BUILD }, { code: 'len(vocab);', result: '21635' }, { code: MODEL }]);
    expect(a.model.params).not.toBe(21635 * 300);
    expect(said(a)).toEqual([]);
  });

  it('only the last statement of a cell is matched with its result', () => {
    const a = run([{ code: BUILD }, { code: 'len(vocab)\nx = 1', result: '21635' }, { code: MODEL }]);
    expect(said(a)).toEqual([]);
  });
});

describe('print(...) calls against the cell\'s stdout', () => {
  it('an f-string with a thousands separator, through an attribute', () => {
    const a = run([
      { code: `${BUILD}\nclass Field: pass\nSRC = Field()\nSRC.vocab = vocab` },
      { code: 'print(f"Unique tokens in source (de) vocabulary: {len(SRC.vocab):,}")', stdout: 'Unique tokens in source (de) vocabulary: 21,635\n' },
      { code: 'model = nn.Embedding(len(SRC.vocab), 300)\ny = model(torch.zeros(8, 16, dtype=torch.long))' },
    ]);
    expect(a.model.params).toBe(21635 * 300);
    expect(said(a)[0]).toMatch(/^len\(SRC\.vocab\) = 21,635 from the notebook's saved output of cell 3 \(printed\)/);
  });

  it('an attribute of an object of a library FlopLens does not model (legacy torchtext Field)', () => {
    const a = run([
      { code: 'import torch.nn as nn\nfrom torchtext.legacy.data import Field\nSRC = Field(tokenize="spacy", lower=True)\nTRG = Field(tokenize="spacy", lower=True)\nSRC.build_vocab(train_data, min_freq=2)\nTRG.build_vocab(train_data, min_freq=2)' },
      { code: 'print(f"Unique tokens in source (de) vocabulary: {len(SRC.vocab)}")\nprint(f"Unique tokens in target (en) vocabulary: {len(TRG.vocab)}")', stdout: 'Unique tokens in source (de) vocabulary: 7853\nUnique tokens in target (en) vocabulary: 5893\n' },
      { code: 'INPUT_DIM = len(SRC.vocab)\nOUTPUT_DIM = len(TRG.vocab)\nmodel = nn.ModuleList([nn.Embedding(INPUT_DIM, 4), nn.Embedding(OUTPUT_DIM, 4)])' },
    ]);
    expect(a.model.params).toBe((7853 + 5893) * 4);
    expect(said(a)).toHaveLength(2);
  });

  it('comma-separated arguments, among other lines and a progress bar rewritten with \\r', () => {
    const a = run([
      { code: 'import torch\nimport torch.nn as nn\ntext = open("input.txt").read()\nchars = sorted(set(text))\nn_chars = len(chars)' },
      { code: 'print("loaded")\nprint("vocab size:", n_chars)\nprint("done")', stdout: ['loaded\n', '  0%|   |\r100%|###|\rvocab size: 83\n', 'done\n'] },
      { code: 'model = nn.Embedding(n_chars, 10)\ny = model(torch.zeros(4, 8, dtype=torch.long))' },
    ]);
    // n_chars was the stated default for characters of a text file (65): the notebook's 83 replaces it, and the
    // default is no longer stated.
    expect(a.model.params).toBe(830);
    expect(a.problems.filter((p) => p.code === 'data-vocab')).toEqual([]);
    expect(said(a)[0]).toMatch(/^n_chars = 83 from the notebook's saved output of cell 3 \(printed\)/);
  });

  it('a torch.Size printed in an f-string', () => {
    const a = run([
      { code: 'import torch\nimport torch.nn as nn\nemb = torch.load("emb.pt")' },
      { code: 'print(f"embeddings: {emb.shape}")', stdout: 'embeddings: torch.Size([1000, 50])\n' },
      { code: 'model = nn.Linear(emb.size(1), 2)\ny = model(emb)' },
    ]);
    expect(a.model.params).toBe(102);
    expect(a.step.batch).toBe(1000);
  });

  it('two lines that fit the same print with different numbers are ambiguous: not used', () => {
    const a = run([
      { code: BUILD },
      { code: 'print(f"size: {len(vocab)}")\nprint(f"size: {len(vocab)}")', stdout: 'size: 100\nsize: 200\n' },
      { code: MODEL },
    ]);
    expect(said(a)).toEqual([]);
  });

  it('a line that does not fit (other text, or not a number) is not used', () => {
    for (const stdout of ['vocabulary: 21635\n', 'size: many\n', 'size: 21635 tokens\n']) {
      const a = run([{ code: BUILD }, { code: 'print(f"size: {len(vocab)}")', stdout }, { code: MODEL }]);
      expect(said(a)).toEqual([]);
    }
  });

  it('prints of bare values pair with the lines by position, and only when each print has its line', () => {
    const code = 'print(itos)\nprint(vocab_size)';
    const setup = 'import torch.nn as nn\nimport torchtext\nv = torchtext.vocab.build_vocab_from_iterator(a)\nitos = v.get_itos()\nvocab_size = len(v)';
    const a = run([{ code: setup }, { code, stdout: "['<unk>', 'a', 'b']\n27\n" }, { code: 'model = nn.Embedding(vocab_size, 10)' }]);
    expect(said(a)).toEqual([expect.stringMatching(/^vocab_size = 27 from/)]);
    expect(a.model.params).toBe(270);
    // One line for two prints (one printed nothing FlopLens can read as a line): no pairing, nothing used.
    const b = run([{ code: setup }, { code, stdout: '27\n' }, { code: 'model = nn.Embedding(vocab_size, 10)' }]);
    expect(said(b)).toEqual([]);
  });

  it('a wildcard next to a capture that could swallow it makes the match ambiguous', () => {
    const a = run([
      { code: `${BUILD}\ndef describe(v): return str(v)` },
      { code: 'print(describe(vocab), len(vocab))', stdout: 'Vocab 1 2 3 21635\n' },
      { code: MODEL },
    ]);
    expect(a.model.params).toBe(21635 * 300);
    const b = run([
      { code: `${BUILD}\ndef describe(v): return str(v)` },
      { code: 'print(f"{describe(vocab)}{len(vocab)}")', stdout: 'Vocab 21635\n' },
      { code: MODEL },
    ]);
    expect(said(b)).toEqual([]);
  });
});

describe('the script\'s own values and directives win', () => {
  it('a length the script determines is kept, and the disagreement is said', () => {
    const a = run([
      { code: 'import torch.nn as nn\nvocab = ["a", "b", "c"]' },
      { code: 'len(vocab)', result: '5' },
      { code: 'model = nn.Embedding(len(vocab), 10)' },
    ]);
    expect(a.model.params).toBe(30);
    expect(said(a)).toEqual([expect.stringMatching(/shows 5, but the script gives 3; FlopLens keeps the script's value/)]);
  });

  it('a known variable is kept; an agreeing output says nothing', () => {
    const a = run([
      { code: 'import torch.nn as nn\nhidden = 64' },
      { code: 'hidden', result: '64' },
      { code: 'print(hidden)', stdout: '64\n' },
      { code: 'model = nn.Linear(hidden, 1)' },
    ]);
    expect(a.model.params).toBe(65);
    expect(said(a)).toEqual([]);
  });

  it('a vocab= directive wins over the notebook\'s output', () => {
    const a = run([{ code: `# floplens: vocab=1000\n${BUILD}` }, { code: 'len(vocab)', result: '21635' }, { code: MODEL }]);
    expect(a.model.params).toBe(1000 * 300);
  });
});

describe('reading outputs robustly', () => {
  it('malformed outputs are skipped without a crash; the code is still analysed', () => {
    const bad = [
      [null, 42, 'text', { output_type: 'stream', name: 'stdout', text: 5 }, { output_type: 'execute_result', data: null }],
      { not: 'a list' },
      [{ output_type: 'execute_result', data: { 'text/plain': ['21', 6, '35'] } }, { output_type: 'stream', name: 'stderr', text: 'vocab: 7\n' }],
    ];
    const nb = readNotebook(notebook([{ code: BUILD }, { code: 'len(vocab)' }, { code: 'print(f"vocab: {len(vocab)}")' }], bad));
    expect(nb.outputs).toEqual([{ cell: 2 }, { cell: 3 }, { cell: 4 }]);
    const a = analyze({ text: '', file: 'nb.ipynb', cells: nb.cells, cellOutputs: nb.outputs });
    expect(said(a)).toEqual([]);
    // A host handing the core outputs of the wrong shape: ignored, never a crash.
    const b = analyze({ text: '', file: 'nb.ipynb', cells: nb.cells, cellOutputs: [null, 3, { cell: 1, result: 7 }] as never });
    expect(b.problems.filter((p) => p.code === 'internal')).toEqual([]);
  });

  it('outputs are read from list-of-lines text and cut at the size cap', () => {
    const nb = readNotebook(notebook([{ code: 'x = 1', stdout: ['a\n', 'b\n'], result: ['(1,', ' 2)'] as unknown as string }, { code: 'y = 2', stdout: 'z'.repeat(MAX_OUTPUT_CHARS * 3) }]));
    expect(nb.outputs[0]).toEqual({ cell: 2, stdout: 'a\nb\n', result: '(1, 2)' });
    expect(nb.outputs[1].stdout).toHaveLength(MAX_OUTPUT_CHARS);
  });

  it.each([
    ['21635', 21635],
    ['(5893, 7853)', { tuple: [5893, 7853] }],
    ['(3,)', { tuple: [3] }],
    ['torch.Size([21635, 300])', { shape: [21635, 300] }],
    ["(Dataset({\n features: ['text'],\n num_rows: 25000\n}), 7)", { tuple: [{ rows: 25000 }, 7] }],
    ["device(type='cuda')", undefined],
    ['[1, 2, 3]', undefined],
    ['torch.Size([a])', undefined],
  ])('parseRepr(%j)', (text, want) => {
    expect(parseRepr(text)).toEqual(want);
  });
});

describe('the extension reads a vscode.NotebookDocument\'s outputs as the CLI reads the .ipynb', () => {
  const enc = (t: string) => new TextEncoder().encode(t);
  const cells: Cell[] = [
    { code: BUILD },
    { code: 'print(f"vocabulary: {len(vocab):,}")\nlen(vocab)', stdout: 'vocabulary: 21,635\n', result: '21635' },
    { code: MODEL },
  ];
  // What VS Code's ipynb serializer makes of the same cells: outputs with items by MIME type, the nbformat output type
  // in their metadata (markdown cell 0 precedes them).
  const vscodeCells: OutputCell[] = [
    { index: 1, outputs: [] },
    {
      index: 2,
      outputs: [
        { items: [{ mime: 'application/vnd.code.notebook.stdout', data: enc('vocabulary: 21,635\n') }], metadata: { outputType: 'stream' } },
        { items: [{ mime: 'text/html', data: enc('<b>21635</b>') }, { mime: 'text/plain', data: enc('21635') }], metadata: { outputType: 'execute_result', executionCount: 2 } },
      ],
    },
    { index: 3, outputs: [{ items: [{ mime: 'text/plain', data: enc('<Figure size 640x480>') }], metadata: { outputType: 'display_data' } }] },
  ];

  it('the same CellOutputs, and the same analysis', () => {
    const nb = readNotebook(notebook(cells));
    expect(vscodeCells.map(cellOutputs)).toEqual(nb.outputs);
    const a = analyze({ text: '', file: 'nb.ipynb', cells: nb.cells, cellOutputs: vscodeCells.map(cellOutputs) });
    expect(a.model.params).toBe(21635 * 300);
    expect(said(a)).toHaveLength(1);
  });

  it('stderr, images and items that are not bytes are skipped; an output without a type is a result', () => {
    const odd = { index: 0, outputs: [
      { items: [{ mime: 'application/vnd.code.notebook.stderr', data: enc('warning\n') }, { mime: 'image/png', data: new Uint8Array([137, 80]) }] },
      { items: [{ mime: 'application/vnd.code.notebook.stdout', data: 'not bytes' as unknown as Uint8Array }] },
      { items: [{ mime: 'text/plain', data: enc('(1, 2)') }] },
    ] };
    expect(cellOutputs(odd)).toEqual({ cell: 1, result: '(1, 2)' });
  });
});

describe('a model\'s printout (Module.__repr__) in a saved output', () => {
  const CLASSES = `import torch
import torch.nn as nn
import torchtext
src_vocab = torchtext.vocab.build_vocab_from_iterator(a)
trg_vocab = torchtext.vocab.build_vocab_from_iterator(b)
class Encoder(nn.Module):
    def __init__(self, n, d):
        super().__init__()
        self.embedding = nn.Embedding(n, d)
        self.rnn = nn.GRU(d, 32)
class Decoder(nn.Module):
    def __init__(self, n, d):
        super().__init__()
        self.embedding = nn.Embedding(n, d)
        self.heads = nn.ModuleList([nn.Linear(32, n) for _ in range(2)])
class Seq2Seq(nn.Module):
    def __init__(self, enc, dec):
        super().__init__()
        self.encoder = enc
        self.decoder = dec
model = Seq2Seq(Encoder(len(src_vocab), 16), Decoder(len(trg_vocab), 16))
def init_weights(m):
    pass`;
  const REPR = `Seq2Seq(
  (encoder): Encoder(
    (embedding): Embedding(7853, 16)
    (rnn): GRU(16, 32)
  )
  (decoder): Decoder(
    (embedding): Embedding(5893, 16)
    (heads): ModuleList(
      (0-1): 2 x Linear(in_features=32, out_features=5893, bias=True)
    )
  )
)`;
  const PARAMS = 7853 * 16 + 3 * (16 * 32 + 32 * 32 + 2 * 32) + 5893 * 16 + 2 * (32 * 5893 + 5893);

  it.each([
    ['model.apply(init_weights)', { result: REPR }],
    ['model', { result: REPR }],
    ['print(model)', { stdout: `${REPR}\n` }],
  ])('%s: the layers sized by data take their arguments from the printout, said once', (code, out) => {
    const a = run([{ code: CLASSES }, { code, ...out }]);
    expect(a.model.params).toBe(PARAMS);
    expect(said(a)).toEqual([expect.stringMatching(/^model: the model's printout in the notebook's saved output of cell 3 gives .*encoder\.embedding num_embeddings=7,853; decoder\.embedding num_embeddings=5,893; decoder\.heads\.0 out_features=5,893; decoder\.heads\.1 out_features=5,893/)]);
  });

  it('a stated data default (a vocabulary taken as 256 bytes) gives way to the printout', () => {
    const a = run([
      { code: 'import torch.nn as nn\ntext = open("corpus.bin", "rb").read()\nvocab_size = len(set(text))\nmodel = nn.Sequential(nn.Embedding(vocab_size, 8), nn.Linear(8, 2))' },
      { code: 'model', result: 'Sequential(\n  (0): Embedding(21635, 8)\n  (1): Linear(in_features=8, out_features=2, bias=True)\n)' },
    ]);
    expect(a.model.params).toBe(21635 * 8 + 18);
    expect(a.problems.filter((p) => p.code === 'data-vocab')).toEqual([]);
  });

  it('arguments the script determines are kept when the printout disagrees (a stale output), and that is said', () => {
    const a = run([
      { code: 'import torch.nn as nn\nmodel = nn.Sequential(nn.Linear(10, 20), nn.Linear(20, 2))' },
      { code: 'model', result: 'Sequential(\n  (0): Linear(in_features=10, out_features=30, bias=True)\n  (1): Linear(in_features=30, out_features=2, bias=True)\n)' },
    ]);
    expect(a.model.params).toBe(262);
    expect(said(a)).toEqual([expect.stringMatching(/disagrees with the script for 0 out_features 20 \(printed 30\); 1 in_features 20 \(printed 30\); FlopLens keeps the script's values/)]);
  });

  it('arguments printed in their normalised form (kernel_size=3 as (3, 3)) agree with the script', () => {
    const a = run([
      { code: 'import torch.nn as nn\nimport torchtext\nv = torchtext.vocab.build_vocab_from_iterator(a)\nmodel = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.Flatten(), nn.Linear(16, len(v)))' },
      { code: 'model', result: 'Sequential(\n  (0): Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))\n  (1): Flatten(start_dim=1, end_dim=-1)\n  (2): Linear(in_features=16, out_features=10, bias=True)\n)' },
    ]);
    expect(a.model.params).toBe(3 * 16 * 9 + 16 + 16 * 10 + 10);
    expect(said(a)).toEqual([expect.stringMatching(/gives .*: 2 out_features=10\.$/)]);
  });

  it('a printout of another structure (other layer types or names) fills nothing', () => {
    const a = run([
      { code: 'import torch.nn as nn\nimport torchtext\nv = torchtext.vocab.build_vocab_from_iterator(a)\nmodel = nn.Sequential(nn.Embedding(len(v), 8))' },
      { code: 'model', result: 'Sequential(\n  (0): Linear(in_features=21635, out_features=8, bias=True)\n  (emb): Embedding(21635, 8)\n)' },
    ]);
    expect(said(a)).toEqual([]);
  });

  it('parseModuleRepr: nested modules, repeated ones, extra_repr lines; not a printout → undefined', () => {
    const t = parseModuleRepr(REPR)!;
    expect(t.type).toBe('Seq2Seq');
    const heads = t.children.get('decoder')!.children.get('heads')!;
    expect([...heads.children.keys()]).toEqual(['0', '1']);
    expect(heads.children.get('1')).toEqual({ type: 'Linear', args: 'in_features=32, out_features=5893, bias=True', children: new Map() });
    expect(parseModuleRepr('Net(\n  some extra_repr text\n  (fc): Linear(in_features=2, out_features=1, bias=True)\n)')!.children.get('fc')!.type).toBe('Linear');
    for (const text of ['21635', 'Seq2Seq(\n  (encoder): Encoder(\n)', "device(type='cuda')", 'Net(\n)\n)', '']) expect(parseModuleRepr(text)).toBeUndefined();
  });
});
