/**
 * Audio as scripts read it (torchaudio): `torchaudio.load(path)` is a waveform [channels, samples] and its sample
 * rate, and the feature transforms size what the model sees from their own arguments:
 *  - Spectrogram(n_fft=400, win_length=n_fft, hop_length=win_length // 2, pad=0, center=True): [..., time] →
 *    [..., n_fft // 2 + 1, frames];
 *  - MelSpectrogram(sample_rate, n_fft=400, …, n_mels=128): [..., n_mels, frames]; MFCC(n_mfcc=40, melkwargs={…}):
 *    [..., n_mfcc, frames]; LFCC(n_lfcc=40, speckwargs={…}); MelScale(n_mels=128): [..., n_stft, t] → [..., n_mels, t];
 *  - AmplitudeToDB, masking, Vol, Fade, ComputeDeltas, MuLawEncoding keep the shape;
 * where frames = (time + 2·pad) // hop + 1 centred, else (time + 2·pad − n_fft) // hop + 1 (torch.stft).
 *
 * The file's channels, length and rate are data. Inside a script Dataset linked to a catalog audio dataset they are
 * the catalog's (UrbanSound8K: stereo 44.1 kHz, 4 s at most), as they are for a path naming one or the dataset=
 * directive; elsewhere a stated default (mono, 16 kHz, 1 s). What a
 * Dataset usually does next (resample to a target rate, mix down, cut and pad to a fixed number of samples) then
 * makes the shape exact whatever the file was; without them the assumption stays, stated once per analysis.
 */
import type { Loc } from '../../types';
import { UNKNOWN, isKind, isNum, isTensorV, tensor, tuple } from '../values';
import type { DictValue, ObjValue, Value } from '../values';
import type { DatasetInfo } from '../../data/datasets';
import { datasetFromPath, findDataset } from '../../data/datasets';
import { NOT_MINE } from './dispatch';
import type { MethodTable, ObjCallTable, Route } from './dispatch';
import type { Library } from './library';
import { catalogOfGetItem } from './pil';
import { fmt } from './util';

/** A clip whose file FlopLens cannot read and no catalog dataset describes: mono, 16 kHz, 1 s (speech-command sized). */
const DEFAULT_CLIP = { channels: 1, rate: 16_000, samples: 16_000 };

/** The analyses (one Library each) that have stated how an audio file is sized. */
const SAID = new WeakSet<Library>();

/** The waveform a catalog audio dataset's files hold ([channels, samples] at its rate), when it is one. */
function catalogClip(info: DatasetInfo | undefined): { channels: number; rate: number; samples: number } | undefined {
  if (!info?.sampleRate || info.shape.length !== 2) return undefined;
  return { channels: info.shape[0], rate: info.sampleRate, samples: info.shape[1] };
}

/** `torchaudio.load(path)`: (waveform [channels, samples], sample_rate), the file's facts taken from the catalog or a default, stated. */
function load(lib: Library, path: Value | undefined, loc?: Loc): Value {
  // The dataset= directive first, then a path naming a catalog dataset, then the one the script Dataset reads.
  const d = lib.cx.directives.dataset?.value;
  const named = typeof d === 'string' ? findDataset(d) : undefined;
  const byPath = typeof path === 'string' ? datasetFromPath(path)?.info : undefined;
  const info = [named, byPath, catalogOfGetItem(lib)].find((x) => catalogClip(x) !== undefined);
  const clip = catalogClip(info) ?? DEFAULT_CLIP;
  if (!SAID.has(lib)) {
    SAID.add(lib);
    const what = `${clip.channels === 1 ? 'mono' : `${clip.channels} channels`}, ${fmt(clip.samples)} samples at ${fmt(clip.rate)} Hz (${+(clip.samples / clip.rate).toFixed(2)} s)`;
    lib.cx.problem('info', 'audio-file', info && catalogClip(info)
      ? `torchaudio.load: an audio file of ${info.name} is taken as ${what}, from the dataset catalog (${info.source}); resampling, mixing down and cutting/padding to a fixed length in the script make the model's input exact whatever the file holds.`
      : `torchaudio.load: FlopLens reads no audio files, so the clip is taken as ${what}; resampling, mixing down and cutting/padding to a fixed length in the script make the model's input exact whatever the file holds. Add \`# floplens: dataset=<name>\` for a catalog audio dataset (UrbanSound8K, ESC-50, GTZAN, SpeechCommands).`, loc);
  }
  return tuple([tensor([clip.channels, clip.samples], 'fp32'), clip.rate]);
}

const num = (v: Value | undefined, d: number): number => (isNum(v) && v > 0 ? v : d);
const arg = (c: { pos: Value[]; kw: Map<string, Value> }, name: string, i: number): Value | undefined => c.kw.get(name) ?? c.pos[i];
const kwargsOf = (v: Value | undefined): Map<string, Value> => new Map(isKind(v, 'dict') ? [...(v as DictValue).map].map(([k, x]) => [String(k), x] as [string, Value]) : []);

/** The STFT framing of a transform: n_fft, hop, pad, centred. */
function framing(kw: Map<string, Value>, nFft: number): [string, Value][] {
  const win = num(kw.get('win_length'), nFft);
  return [['n_fft', nFft], ['hop', num(kw.get('hop_length'), Math.floor(win / 2))], ['pad', isNum(kw.get('pad')) ? kw.get('pad')! : 0], ['center', kw.get('center') !== false]];
}

/** Positional parameter names of each transform (torchaudio 2.x signatures). */
const PARAMS: Record<string, string[]> = {
  Spectrogram: ['n_fft', 'win_length', 'hop_length', 'pad'],
  MelSpectrogram: ['sample_rate', 'n_fft', 'win_length', 'hop_length', 'f_min', 'f_max', 'pad', 'n_mels'],
  MFCC: ['sample_rate', 'n_mfcc', 'dct_type', 'norm', 'log_mels', 'melkwargs'],
  LFCC: ['sample_rate', 'n_filter', 'f_min', 'f_max', 'n_lfcc', 'dct_type', 'norm', 'log_lf', 'speckwargs'],
  MelScale: ['n_mels', 'sample_rate', 'f_min', 'f_max', 'n_stft'],
};

/** Transforms that keep the shape of what they are given. */
const SAME_SHAPE = ['AmplitudeToDB', 'FrequencyMasking', 'TimeMasking', 'Vol', 'Fade', 'ComputeDeltas', 'MuLawEncoding', 'MuLawDecoding', 'SlidingWindowCmn', 'Preemphasis', 'Deemphasis'];

function makeTransform(lib: Library, name: string, pos: Value[], kwIn: Map<string, Value>, loc?: Loc): ObjValue {
  const kw = new Map(kwIn);
  (PARAMS[name] ?? []).forEach((p, i) => { if (pos[i] !== undefined && !kw.has(p)) kw.set(p, pos[i]); });
  const attrs: [string, Value][] = [['op', name]];
  switch (name) {
    case 'Spectrogram': {
      const nFft = num(kw.get('n_fft'), 400);
      attrs.push(['bins', kw.get('onesided') === false ? nFft : Math.floor(nFft / 2) + 1], ...framing(kw, nFft));
      break;
    }
    case 'MelSpectrogram':
      attrs.push(['bins', num(kw.get('n_mels'), 128)], ...framing(kw, num(kw.get('n_fft'), 400)));
      break;
    case 'MFCC': case 'LFCC': {
      const inner = kwargsOf(kw.get(name === 'MFCC' ? 'melkwargs' : 'speckwargs'));
      attrs.push(['bins', num(kw.get(name === 'MFCC' ? 'n_mfcc' : 'n_lfcc'), 40)], ...framing(inner, num(inner.get('n_fft'), 400)));
      break;
    }
    case 'MelScale': attrs.push(['bins', num(kw.get('n_mels'), 128)]); break;
    default: break;
  }
  return lib.obj('audioTransform', attrs, loc);
}

/** A transform applied to a waveform [..., time] (or, MelScale, to a spectrogram [..., freq, time]). */
function applyTransform(_lib: Library, m: ObjValue, x: Value | undefined): Value {
  if (!isTensorV(x)) return UNKNOWN;
  const op = String(m.attrs.get('op'));
  if (SAME_SHAPE.includes(op)) return x;
  const bins = m.attrs.get('bins');
  if (!isNum(bins)) return UNKNOWN;
  if (op === 'MelScale') return x.shape.length >= 2 ? tensor([...x.shape.slice(0, -2), bins, x.shape[x.shape.length - 1]], x.dtype, x.guessed) : UNKNOWN;
  const [nFft, hop, pad] = ['n_fft', 'hop', 'pad'].map((k) => m.attrs.get(k));
  if (!isNum(nFft) || !isNum(hop) || !isNum(pad) || hop <= 0 || x.shape.length === 0) return UNKNOWN;
  const time = x.shape[x.shape.length - 1] + 2 * pad;
  const frames = m.attrs.get('center') === false ? Math.floor((time - nFft) / hop) + 1 : Math.floor(time / hop) + 1;
  if (!(frames > 0)) return UNKNOWN;
  return tensor([...x.shape.slice(0, -1), bins, frames], x.dtype ?? 'fp32', x.guessed);
}

const TRANSFORMS = ['Spectrogram', 'MelSpectrogram', 'MFCC', 'LFCC', 'MelScale', ...SAME_SHAPE];

export const ROUTES: Route[] = [
  { exact: ['torchaudio.load', 'torchaudio.backend.sox_io_backend.load', 'torchaudio.backend.soundfile_backend.load'], handler: (lib, { pos, kw, loc }) => load(lib, pos[0] ?? kw.get('filepath') ?? kw.get('uri'), loc) },
  { exact: TRANSFORMS.map((n) => `torchaudio.transforms.${n}`), handler: (lib, c) => makeTransform(lib, c.last, c.pos, c.kw, c.loc) },
  {
    // torchaudio.functional.resample(waveform, orig_freq, new_freq): ceil(time · new / orig) samples.
    exact: ['torchaudio.functional.resample'],
    handler: (_lib, c) => {
      const [x, o, n] = [arg(c, 'waveform', 0), arg(c, 'orig_freq', 1), arg(c, 'new_freq', 2)];
      if (!isTensorV(x) || !isNum(o) || !isNum(n) || o <= 0 || n <= 0 || x.shape.length === 0) return NOT_MINE;
      return tensor([...x.shape.slice(0, -1), Math.ceil((x.shape[x.shape.length - 1] * n) / o)], x.dtype, x.guessed);
    },
  },
];

export const METHODS: MethodTable = {
  // Moving a transform between devices or modes returns the same transform.
  audioTransform: (_lib, self, name) => (/^(to|cuda|cpu|eval|train|float|half|double)$/.test(name) ? self : NOT_MINE),
};

export const OBJ_CALLS: ObjCallTable = {
  audioTransform: (lib, m, pos, kw) => applyTransform(lib, m, pos[0] ?? kw.get('waveform') ?? kw.get('specgram') ?? kw.get('x')),
};
