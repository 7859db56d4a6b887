/**
 * A vocabulary counted from data FlopLens does not read (issue 14, point 3): a vocabulary object named `vocab` stays a
 * collection whose `len()` is the stated size (the name rule made it the number 256, and `len(vocab)` then lost the
 * embedding); the default follows the code that builds it: words split or tokenized, the characters of a text, bytes.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { vocabularyEvidence } from '../../src/core/interpret/dataDefaults';

const vocabMessages = (python: string) => analyze({ text: python, file: 'snippet.py' }).problems.filter((p) => p.code === 'data-vocab').map((p) => p.message);

describe('vocabulary objects counted from data', () => {
  it('a torchtext vocabulary built from tokens: len(vocab) is a word-level default', () => {
    check(`
import torch.nn as nn
from torchtext.vocab import build_vocab_from_iterator
from torchtext.data.utils import get_tokenizer
tokenizer = get_tokenizer('basic_english')
lines = open('reviews.csv').readlines()
def yield_tokens(it):
    for text in it:
        yield tokenizer(text)
vocab = build_vocab_from_iterator(yield_tokens(lines), specials=['<unk>'])
vocab.set_default_index(vocab['<unk>'])
emb = nn.Embedding(len(vocab), 64)
`, 'params(emb) = 640000');
  });

  it('the distinct characters of a text: a character-level default', () => {
    check(`
import torch.nn as nn
with open('corpus.dat') as f:
    text = f.read()
vocab = sorted(set(text))
stoi = {ch: i for i, ch in enumerate(vocab)}
emb = nn.Embedding(len(vocab), 64)
`, 'params(emb) = 4160');
  });

  it('the distinct words of a text split into words: a word-level default', () => {
    check(`
import torch.nn as nn
with open('corpus.dat') as f:
    text = f.read()
words = text.split()
vocab = sorted(set(words))
emb = nn.Embedding(len(vocab), 64)
`, 'params(emb) = 640000');
  });

  it('the distinct bytes of a file read as bytes: 256', () => {
    check(`
import torch.nn as nn
data = open('corpus.dat', 'rb').read()
chars = sorted(set(data))
vocab_size = len(chars)
emb = nn.Embedding(vocab_size, 8)
`, 'params(emb) = 2048');
  });

  it('a vocabulary size named vocab (used as a number) still gets the default as a number', () => {
    check(`
import json
import torch.nn as nn
meta = json.load(open('meta.json'))
vocab = meta.get('vocab')
emb = nn.Embedding(vocab, 4)
`, 'params(emb) = 1024');
  });

  it('the vocab= directive reaches len() of a vocabulary object', () => {
    const a = analyze({ text: `# floplens: vocab=5000
import torch
import torch.nn as nn
text = open('corpus.dat').read()
vocab = sorted(set(text.split()))
model = nn.Embedding(len(vocab), 16)
out = model(torch.zeros(4, 8, dtype=torch.long))
`, file: 'snippet.py' });
    expect(a.model.params).toBe(80000);
  });

  it('the stated assumption names its evidence and its directive', () => {
    const [m] = vocabMessages(`
import torch.nn as nn
text = open('corpus.dat').read()
vocab = sorted(set(text))
emb = nn.Embedding(len(vocab), 64)
`);
    expect(m).toMatch(/assuming 65 characters/);
    expect(m).toMatch(/distinct characters of a text/);
    expect(m).toMatch(/# floplens: vocab=N/);
  });

  it('evidence is read from the statement and the assignments it uses, two levels back', () => {
    const text = "raw = open('d.dat').read()\ntoks = raw.split()\nvocab = set(toks)\nn = len(vocab)\n";
    const at = (line: string) => ({ from: text.indexOf(line), to: text.indexOf(line) + line.length });
    expect(vocabularyEvidence(text, at('n = len(vocab)'))).toBe('words');
    const chars = "raw = open('d.dat').read()\nvocab = set(raw)\nn = len(vocab)\n";
    expect(vocabularyEvidence(chars, { from: chars.indexOf('n ='), to: chars.length })).toBe('chars');
    const added = "vocab = set()\nfor line in open('d.dat'):\n    for w in line.split():\n        vocab.add(w)\nn = len(vocab)\n";
    expect(vocabularyEvidence(added, { from: added.indexOf('n ='), to: added.length })).toBe('words');
    expect(vocabularyEvidence('n = 3\n', { from: 0, to: 5 })).toBeUndefined();
  });
});
