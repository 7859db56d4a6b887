/**
 * The evaluator's bridge to the model zoo: models loaded by name (`from_pretrained`, torchvision, timm,
 * diffusers pipelines), LoRA/peft, quantisation configs, HF Trainer runs and `generate()`. The zoo
 * (`src/core/zoo`) owns architectures and their ops; this bridge turns script calls into zoo requests and
 * records the resulting ops in the program's loop context.
 */
import type { CrossCheck, Dtype, Loc, Op } from '../types';
import { DTYPE_BYTES } from '../types';
import type { EvalContext } from './context';
import type { Library } from './lib/library';
import { NOT_MINE } from './lib/dispatch';
import type { NotMine } from './lib/dispatch';
import { UNKNOWN, unknown, newMeta, dtypeOf, isKind, isModuleValue, isNum, isSeq, isTensorV, tensor, list, tuple } from './values';
import type { Value, ObjValue, ObjType } from './values';
import * as zoo from '../zoo';
import { maxOf } from '../arrays';
import { promptTokens } from './generation';
import { TRAINER, WITH_REFERENCE, sequencesPerSample, trainerSeq } from './lib/hfTrainers';
import type { SeqEvidence } from './lib/hfTrainers';
import { collatedLength, longerOf, targetLength, tokenIds, tokenizedLength, tokenizerCallLength } from './lib/tokenizers';
import { dataClasses } from './lib/datasetLink';
import { surgeryOps } from './catalogSurgery';
import { defaultDtype } from './lib/precision';

type Entry = NonNullable<ReturnType<typeof zoo.findModel>>;

interface Lora { r: number; alpha?: number; targetModules?: string[] }

const LOADERS = /(^|\.)((Auto|Llama|Mistral|Mixtral|Qwen2|Gemma2?|Phi3?|GPT2|GPTNeoX|Bert|Roberta|DistilBert|T5|Whisper|CLIP|ViT|Falcon|OPT|Bloom)\w*|AutoModel\w*)\.from_pretrained$/;
const PIPELINES = /(^|\.)(StableDiffusion\w*Pipeline|DiffusionPipeline|AutoPipelineFor\w+|Flux\w*Pipeline|PixArt\w*Pipeline|StableDiffusion3Pipeline)\.from_pretrained$/;

/** Config classes that configure something other than a model's architecture. */
const NOT_MODEL_CONFIG = /^(BitsAndBytes|Lora|LoHa|IA3|Peft|Generation|GPTQ|Awq|Quanto|Hqq|Training|SFT|DPO|PPO|Deepspeed)\w*Config$/;
/**
 * transformers classes named like models (`…For…`, `…Model`) that are not models: `DataCollatorForLanguageModeling(tokenizer)`
 * took the tokenizer for a config and warned that the model was not costed.
 */
const NOT_A_MODEL_CLASS = /Collator|Tokenizer|Processor|Extractor|Trainer|Arguments|Pipeline|Callback|Scheduler|Optimizer|Dataset|Sampler|Streamer|Criteria|Config$/;
/** Functions of a model whose result reads as something else: a count, a summary, a loss, an optimizer, a run. */
const NOT_A_MODEL_RESULT = /count|num|param|size|summary|save|load|log|watch|print|stat|flop|profile|optim|sched|loss|metric|export|onnx|hook|register|init|weight|eval|score|predict|infer|test|train|fit|run|generate|plot|draw|show|visual|hash|str|repr|len|dump|info|describe|inspect|check|validate/i;
/** Class names that read as a whole model (`BigModel`, `MyTransformer`, `ResNetish`, `TinyGPT`), not a helper object. */
const MODEL_CLASS = /^[A-Z]\w*(Model|Net|Network|Former|Transformer|GPT|LM|Llama|Mamba|Classifier|Encoder|Decoder|Bert|ViT|Vit)\d*$/;
/** Functions of an unseen library that hand back a model (`load_model(path)`, `build_model(cfg)`, `create_model(name)`). */
const MODEL_FACTORY = /^(load|get|build|create|make|init|setup|instantiate)_?(model|network|net|backbone|llm)$|^model_from_\w+$/i;
/** Namespace attribute holding the family of a config class (`LlamaConfig` → `llama`) for a model built from it. */
const CONFIG_FAMILY = '_config_family';

export class ZooBridge {
  private readonly loaded: ObjValue[] = [];
  private kv = 0;
  private activationBytes: number | undefined;
  private gen: { prompt: number; newTokens: number } | undefined;
  private seq: number | undefined;
  private unit: 'samples/s' | 'tokens/s' | 'images/s' | undefined;
  private items: number | undefined;
  private tokens: number | undefined;
  private checks: CrossCheck[] = [];
  private optimizer: string | undefined;
  private optimizerStated: { note: string; loc?: Loc } | undefined;
  private batchNote: { note: string; loc?: Loc } | undefined;
  private batchSeen: number | undefined;
  /** Sequence length when a tokenizer pads every sample to max_length. */
  private paddedLength: number | undefined;
  /** Where the sequence length of a trainer run comes from, when not from the model call alone (lib/hfTrainers.ts). */
  private seqNote: SeqEvidence | undefined;
  /** Tokenizer calls inside the functions being watched (`dataset.map(fn)`) and the longest length they fixed, innermost last. */
  private readonly watching: { calls: number; length?: SeqEvidence }[] = [];

  constructor(private readonly cx: EvalContext, private readonly lib: Library) {}

  models(): ObjValue[] { return this.loaded; }
  /** Samples (requests, prompts × images) per call of a catalog model, when one ran. */
  batch(): number | undefined { return this.trained?.batch ?? this.batchSeen; }
  seqLen(): number | undefined { return this.trained?.seq ?? this.seq; }
  /** Batch and sequence of the first call with gradients: a training run's shape, not that of a later eval or generate(). */
  private trained: { batch: number; seq: number | undefined } | undefined;
  /** Where the trainer's sequence length comes from (a tokenizer's max_length, a config default), when it was decided so. */
  seqStated(): { note: string; source: 'literal' | 'catalog' } | undefined { return this.seqNote && this.seqNote.value === this.seq ? this.seqNote : undefined; }

  /** Sequences per sample of the trainer run: 2 when a pairwise trainer (DPO, reward) runs chosen and rejected together. */
  sequencesPerSample(): number { return this.pairs; }
  private pairs = 1;

  /** The longest sample length tokenizer calls fix while `fn` runs (a function a dataset is mapped through). */
  watchTokenizer(fn: () => void): { calls: number; length?: SeqEvidence } {
    this.watching.push({ calls: 0 });
    let found: { calls: number; length?: SeqEvidence } | undefined;
    try { fn(); } finally { found = this.watching.pop(); }
    return found ?? { calls: 0 };
  }
  trainerOptimizer(): string | undefined { return this.optimizer; }
  /** Where the script names the Trainer's optimizer (`optim="paged_adamw_8bit"`), when it does. */
  trainerOptimizerStated(): { note: string; loc?: Loc } | undefined { return this.optimizerStated; }
  /** Where the samples per call of a pipeline come from, when the script states them (`num_images_per_prompt=4`). */
  batchStated(): { note: string; loc?: Loc } | undefined { return this.batchNote; }
  tokensPerStep(): number | undefined { return this.tokens; }
  throughputUnit(): 'samples/s' | 'tokens/s' | 'images/s' | undefined { return this.unit; }
  itemsPerStep(): number | undefined { return this.items; }
  generation(): { prompt: number; newTokens: number } | undefined { return this.gen; }
  crossChecks(): CrossCheck[] { return this.checks; }

  weightBytesPerParam(): number | undefined {
    const m = this.loaded[0];
    if (!m) return undefined;
    const w = m.attrs.get('weightDtype');
    const d = m.attrs.get('dtype');
    return typeof w === 'string' ? DTYPE_BYTES[w as Dtype] : typeof d === 'string' ? DTYPE_BYTES[d as Dtype] : 4;
  }

  memory(): { weights?: number; gradients?: number; optimizer?: number; activations?: number; kvCache?: number } {
    const out: { activations?: number; kvCache?: number } = {};
    if (this.activationBytes !== undefined) out.activations = this.activationBytes;
    if (this.kv) out.kvCache = this.kv;
    return out;
  }

  paramCounts(m: ObjValue): { total: number; trainable: number } {
    const total = m.attrs.get('params');
    const trainable = m.attrs.get('trainableParams');
    return { total: isNum(total) ? total : 0, trainable: isNum(trainable) ? trainable : isNum(total) ? total : 0 };
  }

  configObject(m: ObjValue): Value {
    const cfg = m.attrs.get('config');
    return cfg ?? unknown('config');
  }

  /** Catalog entries of loaded models by value id (directive-built entries are not findable by name). */
  private readonly entries = new Map<number, Entry>();

  /**
   * `copy.deepcopy(model)` of a catalog model: a model of its own, so surgery on the copy (`network.fc = nn.Identity()`
   * to take features) leaves the original's children as they were. Undefined for anything else.
   */
  copyOf(m: ObjValue): ObjValue | undefined {
    const entry = this.entries.get(m.id);
    if (m.type !== 'catalogModel' || !entry) return undefined;
    const attrs = new Map(m.attrs);
    const r = m.attrs.get('replaced');
    if (isKind(r, 'dict')) attrs.set('replaced', { kind: 'dict', map: new Map(r.map) });
    const c: ObjValue = { ...m, id: this.cx.id(), attrs };
    this.entries.set(c.id, entry);
    return c;
  }

  private entryOf(m: ObjValue): Entry | undefined {
    const known = this.entries.get(m.id);
    if (known) return known;
    const id = m.attrs.get('catalogId');
    return typeof id === 'string' ? zoo.findModel(id) : undefined;
  }

  /** `from_pretrained`, torchvision/timm constructors, pipelines, peft and Trainer objects. */
  callExternal(p: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value | NotMine {
    const obj = (type: ObjType, attrs: [string, Value][] = []): ObjValue => ({ kind: 'obj', type, attrs: new Map(attrs), id: this.cx.id(), loc });
    if (/(^|\.)Auto(Tokenizer|Processor|ImageProcessor|FeatureExtractor)\.from_pretrained$|Tokenizer(Fast)?\.from_pretrained$|^tiktoken\.get_encoding$/.test(p)) {
      return obj('tokenizer', [['name', typeof pos[0] === 'string' ? pos[0] : 'tokenizer']]);
    }
    if (PIPELINES.test(p)) return this.load(typeof pos[0] === 'string' ? pos[0] : String(kw.get('pretrained_model_name_or_path') ?? ''), 'diffusers', kw, loc, 'pipeline');
    const cfgLoad = /(?:^|\.)(\w*Config)\.from_pretrained$/.exec(p);
    if (cfgLoad && !NOT_MODEL_CONFIG.test(cfgLoad[1])) {
      const name = typeof pos[0] === 'string' ? pos[0] : kw.get('pretrained_model_name_or_path');
      return this.hfConfig(typeof name === 'string' ? name : undefined, kw, cfgLoad[1] === 'AutoConfig' ? undefined : zoo.configFamily(cfgLoad[1]));
    }
    // `RobertaConfig.from_dict({"hidden_size": 256, …})`: the dict's fields, as keywords of the config class would give them.
    const cfgDict = /(?:^|\.)(\w*Config)\.from_dict$/.exec(p);
    if (cfgDict && !NOT_MODEL_CONFIG.test(cfgDict[1])) {
      const d = pos[0] ?? kw.get('config_dict');
      const fields = new Map<string, Value>(isKind(d, 'dict') ? [...d.map].filter((e): e is [string, Value] => typeof e[0] === 'string') : []);
      for (const [k, v] of kw) if (k !== 'config_dict') fields.set(k, v);
      return this.hfConfig(undefined, fields, cfgDict[1] === 'AutoConfig' ? undefined : zoo.configFamily(cfgDict[1]));
    }
    const fromCfg = /(?:^|\.)(\w+)\._?from_config$/.exec(p);
    if (fromCfg && /^Auto|For\w+$|LMHeadModel$|Model$/.test(fromCfg[1]) && !NOT_A_MODEL_CLASS.test(fromCfg[1])) return this.modelFromConfig(pos[0] ?? kw.get('config'), fromCfg[1], kw, loc);
    if (LOADERS.test(p) || /\.from_pretrained$/.test(p) && /transformers|peft/.test(p)) {
      const name = typeof pos[0] === 'string' ? pos[0] : typeof kw.get('pretrained_model_name_or_path') === 'string' ? (kw.get('pretrained_model_name_or_path') as string) : '';
      // `AutoModelForSequenceClassification.from_pretrained(name, num_labels=1)`: a classifier head of num_labels outputs
      // (2 when the script gives none: the default of transformers' PretrainedConfig).
      const given = kw.has('num_labels') ? kw.get('num_labels') : 2;
      const labels = /ForSequenceClassification\.from_pretrained$/.test(p) && isNum(given) && !kw.has('num_classes') ? given : undefined;
      const m = this.load(name, 'hf', labels !== undefined ? new Map([...kw, ['num_classes', labels]]) : kw, loc, 'catalogModel');
      if (/ForMaskedLM\.from_pretrained$/.test(p) && isKind(m, 'obj')) { m.attrs.set('maskedLm', true); this.rebuildParams(m); }
      return m;
    }
    const tv = /^torchvision\.models\.(?:\w+\.)?(\w+)$/.exec(p);
    if (tv && /^[a-z]/.test(tv[1]) && !/^(get_weight|list_models|get_model_weights)$/.test(tv[1])) {
      const name = tv[1] === 'get_model' && typeof pos[0] === 'string' ? pos[0] : tv[1];
      return this.load(name, 'torchvision', kw, loc, 'catalogModel');
    }
    // `timm.is_model(name)`: a name the catalog knows is a model (the script's single-model branch); else unknown.
    if (/^timm\.(models\.)?(_registry\.)?is_model$/.test(p) && typeof pos[0] === 'string') return zoo.findModel(pos[0], 'timm') ? true : unknown(`timm.is_model('${pos[0]}')`);
    if (/^timm\.(models\.)?(_factory\.)?create_model$/.test(p) && typeof pos[0] === 'string') return this.load(pos[0], 'timm', kw, loc, 'catalogModel');
    if (/^torch\.hub\.load$/.test(p) && typeof pos[1] === 'string') return this.load(pos[1], undefined, kw, loc, 'catalogModel');
    // A pickled or scripted model (`torch.load(path)`, `torch.jit.load`): its layers are in the file, which FlopLens
    // does not read. Sized by directives when the script has them; else an unknown that names what would cost it.
    if (/^torch\.(jit\.)?load$|^(joblib|dill|cloudpickle)\.load$/.test(p)) {
      const file = typeof pos[0] === 'string' ? `'${pos[0]}'` : '…';
      const d = this.directiveModel(`model from ${p}(${file})`);
      if (d) {
        this.cx.problem('info', 'directive-model', `${p}(${file}): a saved model FlopLens cannot see into; costed as a decoder LLM sized by the # floplens directives (${d.notes?.slice(1).join(' ') ?? ''}).`, loc);
        return this.loadEntry(d, `model from ${p}(${file})`, undefined, kw, loc, 'catalogModel');
      }
      return unknown(`the model or checkpoint ${p}(${file}) loads (its layers are in the file, which FlopLens does not read: add \`# floplens: params=… layers=… hidden=…\` above the load to cost it)`);
    }
    if (/^transformers\.pipeline$|^pipeline$/.test(p)) {
      const model = kw.get('model') ?? pos[1];
      const task = typeof pos[0] === 'string' ? pos[0] : String(kw.get('task') ?? '');
      const m = typeof model === 'string' ? this.load(model, 'hf', kw, loc, 'catalogModel') : model;
      return obj('hfpipeline', [['model', m ?? UNKNOWN], ['task', task]]);
    }
    if (/(^|\.)LoraConfig$|(^|\.)LoHaConfig$|(^|\.)IA3Config$/.test(p)) {
      return obj('loraConfig', [['r', kw.get('r') ?? 8], ['alpha', kw.get('lora_alpha') ?? 8], ['target', kw.get('target_modules') ?? UNKNOWN]]);
    }
    if (/(^|\.)get_peft_model$/.test(p)) {
      const m = pos[0];
      const cfg = pos[1] ?? kw.get('peft_config');
      if (isKind(m, 'obj') && m.type === 'catalogModel' && isKind(cfg, 'obj') && cfg.type === 'loraConfig') {
        const r = cfg.attrs.get('r');
        let target = cfg.attrs.get('target');
        // An empty target list is one built from the model's modules in a loop FlopLens cannot walk (PEFT rejects a literal
        // []): the usual reason to build one is every linear layer but the head (`find_all_linear_names`), so that, stated.
        if (isSeq(target) && target.items.length === 0) {
          target = 'all-linear';
          this.cx.problem('info', 'lora-targets', 'LoraConfig(target_modules=…): the list is built from the model\'s modules, which FlopLens does not walk; assumed every linear layer except the LM head (PEFT\'s "all-linear").', loc);
        }
        m.attrs.set('lora', { kind: 'obj', type: 'lora', id: 0, attrs: new Map<string, Value>([['r', isNum(r) ? r : 8], ['target', target ?? UNKNOWN]]) } as ObjValue);
        this.rebuildParams(m);
      }
      return m ?? UNKNOWN;
    }
    // TRL's `get_peft_config(model_args)`: None unless `use_peft` is set (ModelConfig's default is False).
    if (/(^|\.)get_peft_config$/.test(p)) return isKind(pos[0], 'inst') || isKind(pos[0], 'obj') ? (pos[0].attrs.get('use_peft') === true ? obj('loraConfig', [['r', pos[0].attrs.get('lora_r') ?? 16]]) : null) : null;
    if (/(^|\.)prepare_model_for_(kbit|int8)_training$/.test(p)) { if (isKind(pos[0], 'obj')) pos[0].attrs.set('gradCheckpointing', true); return pos[0] ?? UNKNOWN; }
    if (/(^|\.)BitsAndBytesConfig$/.test(p)) {
      const bits = kw.get('load_in_4bit') === true ? 'int4' : kw.get('load_in_8bit') === true ? 'int8' : undefined;
      return obj('quantConfig', [['weightDtype', bits ?? null], ['computeDtype', dtypeOf(kw.get('bnb_4bit_compute_dtype') ?? null) ?? null]]);
    }
    if (/(^|\.)(GPTQConfig|AwqConfig)$/.test(p)) return obj('quantConfig', [['weightDtype', 'int4']]);
    if (/(^|\.)(TrainingArguments|Seq2SeqTrainingArguments|(SFT|DPO|Reward|KTO|ORPO|CPO|GRPO|PPO|RLOO|GKD|BCO|PRM)Config)$/.test(p)) {
      const a = obj('trainingArgs');
      for (const [k, v] of kw) a.attrs.set(k, this.cx.overrideScalar(k, v));
      return a;
    }
    const trainerCls = TRAINER.exec(p);
    if (trainerCls) {
      // TRL trainers take the model by hub name too (`SFTTrainer(model="Qwen/Qwen2-0.5B")`): the same model as from_pretrained.
      const given = kw.get('model') ?? pos[0] ?? UNKNOWN;
      const model = typeof given === 'string' ? this.load(given, 'hf', new Map(), loc, 'catalogModel') : given;
      const t = obj('trainer', [['model', model], ['args', kw.get('args') ?? pos[1] ?? UNKNOWN], ['dataset', kw.get('train_dataset') ?? UNKNOWN], ['class', trainerCls[2]]]);
      if (kw.has('ref_model')) t.attrs.set('refModel', kw.get('ref_model') as Value);
      if (kw.has('peft_config')) t.attrs.set('peft', kw.get('peft_config') as Value);
      // TRL wraps the model with get_peft_model(model, peft_config) when it is given a PEFT config (an SFT/DPO QLoRA run).
      const pc = kw.get('peft_config');
      if (isKind(model, 'obj') && model.type === 'catalogModel' && !model.attrs.has('lora') && isKind(pc, 'obj') && pc.type === 'loraConfig') this.lib.callExternal('peft.get_peft_model', [model, pc], new Map(), loc);
      if (kw.has('data_collator')) t.attrs.set('collator', kw.get('data_collator') as Value);
      for (const k of ['max_seq_length', 'max_length']) if (kw.has(k)) t.attrs.set('max_seq_length', this.cx.overrideScalar('max_seq_length', kw.get(k) as Value));
      return t;
    }
    const cls = /^transformers\.(?:models\.[\w.]+\.)?([A-Z]\w+)$/.exec(p);
    if (cls && /Config$/.test(cls[1]) && !/^Auto/.test(cls[1]) && !NOT_MODEL_CONFIG.test(cls[1])) return this.hfConfig(undefined, kw, zoo.configFamily(cls[1]));
    if (cls && /(For\w+|LMHeadModel|Model)$/.test(cls[1]) && !/^Auto/.test(cls[1]) && !NOT_A_MODEL_CLASS.test(cls[1])) return this.modelFromConfig(pos[0] ?? kw.get('config'), cls[1], kw, loc);
    const last = p.slice(p.lastIndexOf('.') + 1);
    // `model = some_lib.setup(model)`: a function of an unseen library handed the model gives the model back, stated.
    if (isModuleValue(pos[0]) && !/^(torch|torchvision|timm|transformers|diffusers|numpy|builtins|math|os|sys|json|pickle|copy)\b/.test(p) && /^[a-z_]/.test(last) && !NOT_A_MODEL_RESULT.test(last)) {
      this.cx.problem('info', 'module-passthrough', `${p}(model): a function FlopLens cannot see into; assumed to return the same model (same layers and parameters).`, loc);
      return pos[0];
    }
    // A model class of a library FlopLens cannot see into (`from mylib import BigModel`), sized by the directives.
    if ((MODEL_CLASS.test(last) || MODEL_FACTORY.test(last)) && !/^(torch|torchvision|timm|transformers|diffusers|numpy|sklearn)\b/.test(p) && !pos.some(isTensorV)) {
      const label = MODEL_CLASS.test(last) ? last : `model from ${last}()`;
      const d = this.directiveModel(label);
      if (d) {
        this.cx.problem('info', 'directive-model', `${p}: a model FlopLens cannot see into; costed as a decoder LLM sized by the # floplens directives (${d.notes?.slice(1).join(' ') ?? ''}).`.replace(' ()', ''), loc);
        return this.loadEntry(d, label, undefined, kw, loc, 'catalogModel');
      }
      this.cx.problem('info', 'model-unseen', `${p}${MODEL_CLASS.test(last) ? '' : '()'} gives a model FlopLens cannot see into, so its calls are not costed. To cost it, add above this line \`# floplens: params=… layers=… hidden=… heads=… vocab=…\` (FlopLens then costs it as a decoder LM of that shape).`, loc);
    }
    return NOT_MINE;
  }

  /** `AutoConfig.from_pretrained(name, **overrides)` / `LlamaConfig(hidden_size=…)`: the config's fields as a namespace. */
  private hfConfig(name: string | undefined, kw: Map<string, Value>, family: string | undefined): ObjValue {
    const ns: ObjValue = { kind: 'obj', type: 'namespace', attrs: new Map(), id: this.cx.id() };
    // The model= directive names the model as for from_pretrained (the config of `AutoConfig.from_pretrained(args.model)`
    // decides branches such as `if config.model_type == "llama":`).
    name = this.cx.directives.model?.value ?? name;
    const entry = name ? zoo.findModel(name, 'hf') : undefined;
    if (entry) for (const [k, v] of Object.entries(zoo.configFields(entry))) ns.attrs.set(k, v);
    if (name) ns.attrs.set('_name_or_path', name);
    if (family) ns.attrs.set(CONFIG_FAMILY, family);
    for (const [k, v] of kw) if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') ns.attrs.set(k, this.cx.overrideScalar(k, v));
    return ns;
  }

  /**
   * `LlamaForCausalLM(config)`, `AutoModelForCausalLM.from_config(config)`: a model of the config's shape with fresh weights. A config
   * the script does not show is sized by the directives, else by the class's defaults, and says so.
   */
  private modelFromConfig(cfg: Value | undefined, className: string, kw: Map<string, Value>, loc?: Loc): Value {
    const classFamily = /^Auto/.test(className) ? undefined : zoo.configFamily(className);
    const fields: Record<string, number | string | boolean> = {};
    if (isKind(cfg, 'obj') && cfg.type === 'namespace') for (const [k, v] of cfg.attrs) if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') fields[k] = v;
    const baseName = typeof fields._name_or_path === 'string' ? fields._name_or_path : undefined;
    const family = typeof fields[CONFIG_FAMILY] === 'string' ? (fields[CONFIG_FAMILY] as string) : classFamily;
    const sized = ['num_hidden_layers', 'n_layer', 'num_layers', 'hidden_size', 'n_embd', 'd_model'].some((k) => typeof fields[k] === 'number');
    // A named config the catalog lacks, with nothing overridden: the same model as loading that name.
    if (baseName && !zoo.findModel(baseName, 'hf') && !sized) return this.load(baseName, 'hf', kw, loc, 'catalogModel');
    const shown = Object.keys(fields).length > 0;
    if (!shown) {
      const d = this.directiveModel(`${className} from directives`);
      if (d) {
        this.cx.problem('info', 'directive-model', `${className}(config): the config is not visible; costed as a decoder LLM sized by the # floplens directives.`, loc);
        return this.loadEntry(d, className, 'hf', kw, loc, 'catalogModel');
      }
    }
    const built = zoo.entryFromConfig(fields, { baseName, family, label: className });
    if (!built) {
      this.cx.problem('warning', 'not-in-catalog', `${className}(config): the config's size is not visible, so the model is not costed. Add \`# floplens: params=… layers=… hidden=… heads=… vocab=…\` with its config values.`, loc);
      return unknown(`${className} built from a config`);
    }
    if (built.notes.length) {
      const how = shown ? 'built from its config' : 'the config is not visible, so';
      this.cx.problem(shown ? 'info' : 'warning', 'config-model', `${className} ${how}: ${built.notes[0]}${built.notes.length > 1 ? ` (${built.notes.slice(1).join('; ')})` : ''}. Weights start from scratch: every parameter trains.`, loc);
    }
    return this.loadEntry(built.entry, className, 'hf', kw, loc, 'catalogModel');
  }

  private load(given: string, hint: 'hf' | 'torchvision' | 'timm' | 'diffusers' | undefined, kw: Map<string, Value>, loc: Loc | undefined, type: 'catalogModel' | 'pipeline'): Value {
    // `# floplens: model=<hub id>` names the Hugging Face model a script takes from its command line
    // (`from_pretrained(args.model_name_or_path)`); like every directive, it wins over the script's own name.
    const named = hint === 'hf' && type === 'catalogModel' ? this.cx.directives.model?.value : undefined;
    if (named && named !== given) this.cx.problem('info', 'directive-model-name', `from_pretrained(${given ? `'${given}'` : '…'}): the model is ${named}, from the model= directive.`, loc);
    const name = named ?? given;
    const entry = name ? zoo.findModel(name, hint) : undefined;
    if (!entry) {
      // `# floplens: params=… layers=… hidden=…` sizes a model the catalog does not know.
      const fromDirective = this.directiveModel(name || 'model from directives');
      if (fromDirective) {
        this.cx.problem('info', 'directive-model', `'${name}' is not in the catalog; costed as a decoder LLM sized by the # floplens directives.`, loc);
        return this.loadEntry(fromDirective, name, hint, kw, loc, type);
      }
      const fromName = this.modelSizedByName(name, hint, loc);
      if (fromName) return this.loadEntry(fromName, name, hint, kw, loc, type);
      const msg = name ? zoo.suggestDirective(name, hint) : 'A model is loaded from a name FlopLens cannot read statically (a command-line argument?). Add `# floplens: model=<hub id>`, or `params=… layers=… hidden=…` for a model outside the catalog.';
      this.cx.problem('warning', 'not-in-catalog', msg, loc);
      return unknown(`model '${name}' not in catalog`);
    }
    return this.loadEntry(entry, name, hint, kw, loc, type);
  }

  /** A decoder LM sized by the `# floplens: params=… layers=… hidden=…` directives, when they size one. */
  private directiveModel(name: string, spec: zoo.DirectiveModelSpec = {}): Entry | undefined {
    const d = this.cx.directives;
    return zoo.modelFromDirective({ params: d.params?.value, layers: d.layers?.value, hidden: d.hidden?.value, heads: d.heads?.value, vocab: d.vocab?.value, seq: d.seq?.value, ...spec, name });
  }

  /**
   * A Hugging Face id the catalog lacks whose name states a size (`…-1.1B`, `…-7b`, `…-350m`): a LLaMA-shaped decoder
   * of that many parameters, with the assumption stated. Vision and diffusers names are never sized this way.
   */
  private modelSizedByName(name: string, hint: 'hf' | 'torchvision' | 'timm' | 'diffusers' | undefined, loc?: Loc): Entry | undefined {
    if (!name || (hint !== 'hf' && hint !== undefined)) return undefined;
    const size = zoo.sizeFromName(name);
    const e = size !== undefined ? zoo.modelFromDirective({ params: size, name }) : undefined;
    if (!e || e.arch.kind !== 'decoder') return undefined;
    const a = e.arch;
    this.cx.problem('warning', 'not-in-catalog',
      `"${name}" is not in the FlopLens model catalog; costed as a LLaMA-shaped decoder LM of ${size!.toExponential(2).replace(/\.?0+e\+?/, 'e')} parameters, the size its name states (assumed: ${a.layers} layers, hidden ${a.hidden}, ${a.heads} heads, FFN ${a.ffn}, vocab ${a.vocab}). ` +
      `For its real shape, add its config.json values above the line that loads it: # floplens: params=… layers=… hidden=… heads=… vocab=…`, loc);
    return e;
  }

  private loadEntry(entry: Entry, name: string, hint: 'hf' | 'torchvision' | 'timm' | 'diffusers' | undefined, kw: Map<string, Value>, loc: Loc | undefined, type: 'catalogModel' | 'pipeline'): Value {
    const quant = kw.get('quantization_config');
    let weightDtype: Dtype | undefined = kw.get('load_in_4bit') === true ? 'int4' : kw.get('load_in_8bit') === true ? 'int8' : undefined;
    if (isKind(quant, 'obj') && typeof quant.attrs.get('weightDtype') === 'string') weightDtype = quant.attrs.get('weightDtype') as Dtype;
    if (/gptq|awq|int4|4bit/i.test(name) && !weightDtype) weightDtype = 'int4';
    const td = kw.get('torch_dtype') ?? kw.get('dtype');
    const own = dtypeOf(td ?? null) ?? (td === 'auto' ? 'bf16' : undefined);
    const dtype = own ?? defaultDtype(this.lib); // built under set_default_dtype (precision.ts states it)
    if (own) this.lib.flags.dtypeSources.push({ dtype: own, what: `${kw.has('torch_dtype') ? 'torch_dtype' : 'dtype'}=${td === 'auto' ? "'auto'" : own}`, loc });
    const m: ObjValue = {
      kind: 'obj', type, id: this.cx.id(), loc, module: newMeta(loc),
      attrs: new Map<string, Value>([['catalogId', zoo.entryId(entry)], ['displayName', zoo.entryName(entry)], ['hint', hint ?? null]]),
    };
    if (dtype) m.attrs.set('dtype', dtype);
    if (weightDtype) m.attrs.set('weightDtype', weightDtype);
    if (isNum(kw.get('num_classes'))) m.attrs.set('classes', kw.get('num_classes') as number);
    // `num_classes=len(label_to_id)` over the user's data: the classes= directive, the dataset's, or the published head, said.
    else if (kw.has('num_classes') || kw.has('num_labels')) { const n = dataClasses(this.lib, zoo.entryName(entry), loc); if (n !== undefined) m.attrs.set('classes', n); }
    this.rebuildParams(m);
    m.attrs.set('config', this.configNamespace(entry));
    this.loaded.push(m);
    if (type === 'pipeline') m.module = undefined;
    this.entries.set(m.id, entry);
    this.rebuildParams(m);
    return m;
  }

  private configNamespace(entry: Entry): ObjValue {
    const ns: ObjValue = { kind: 'obj', type: 'namespace', attrs: new Map(), id: this.cx.id() };
    for (const [k, v] of Object.entries(zoo.configFields(entry))) ns.attrs.set(k, v);
    return ns;
  }

  private loraOf(m: ObjValue): Lora | undefined {
    const l = m.attrs.get('lora');
    if (!isKind(l, 'obj')) return undefined;
    const r = l.attrs.get('r');
    const t = l.attrs.get('target');
    const targetModules = isSeq(t) ? t.items.filter((x): x is string => typeof x === 'string') : typeof t === 'string' ? [t] : undefined;
    return { r: isNum(r) ? r : 8, targetModules };
  }

  /** The top-level children a script replaced with its own layers, by name. */
  private replacedOf(m: ObjValue): Map<string, Value> {
    const r = m.attrs.get('replaced');
    return isKind(r, 'dict') ? new Map([...r.map].map(([k, v]) => [String(k), v] as [string, Value])) : new Map();
  }

  private rebuildParams(m: ObjValue): void {
    const entry = this.entryOf(m);
    if (!entry) return;
    const classes = isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined;
    const keep = this.keepOf(m);
    const swapped = this.replacedOf(m);
    const kept = swapped.size ? (t: string) => (keep ? keep(t) : true) && !swapped.has(t) : keep;
    const counts = kept ? this.keptCounts(entry, classes, kept) : zoo.paramCounts(entry, { lora: this.loraOf(m), classes, maskedLm: m.attrs.get('maskedLm') === true });
    // Children the script replaced hold its layers' parameters (`model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)`).
    if (swapped.size) { const own = this.lib.countParams([...swapped.values()]); counts.total += own.total; counts.trainable += own.trainable; }
    // A head of several layers in place of the catalog's Linear classifier (replaceHead): its parameters instead of that Linear's.
    const mlp = m.attrs.get('headParams');
    const width = isNum(mlp) && classes !== undefined ? this.headWidth(m) : undefined;
    if (isNum(mlp) && width !== undefined && classes !== undefined) { const d = mlp - (width * classes + classes); counts.total += d; counts.trainable += d; }
    m.attrs.set('params', counts.total);
    // A frozen backbone (`model.requires_grad_(False)`) trains only a classifier set after freezing.
    const head = m.attrs.get('trainableHead');
    m.attrs.set('trainableParams', m.attrs.get('frozen') === true ? (isNum(head) ? head : 0) : counts.trainable);
  }

  // ------------------------------------------------------------ surgery: children, parts, replaced layers

  /** Top-level children of a catalog model in forward order (torchvision/HF module names: conv1 … layer4, avgpool, fc). */
  private childNames(entry: Entry, classes: number | undefined): string[] {
    // Building the model to read its names is the cost; one build per entry and class count per analysis.
    const key = `${classes ?? ''}`;
    let byClasses = this.childNameCache.get(entry);
    if (!byClasses) this.childNameCache.set(entry, (byClasses = new Map()));
    const cached = byClasses.get(key);
    if (cached) return cached;
    const names: string[] = [];
    for (const o of zoo.buildModel(entry, { batch: 1, seqLen: 8, dtype: 'fp32', mode: 'infer', classes }).ops) {
      const top = o.name.split('.')[0];
      if (top && !names.includes(top)) names.push(top);
    }
    byClasses.set(key, names);
    return names;
  }

  private readonly childNameCache = new Map<Entry, Map<string, string[]>>();

  /** Which top-level children of the full model this value runs: a part (`children()[:-1]`, `.features`) or the model less dropped ones. */
  private keepOf(m: ObjValue): ((top: string) => boolean) | undefined {
    const part = m.attrs.get('part');
    const dropped = m.attrs.get('dropped');
    if (isSeq(part)) { const keep = new Set(part.items); return (t) => keep.has(t); }
    if (isSeq(dropped) && dropped.items.length) { const gone = new Set(dropped.items); return (t) => !gone.has(t); }
    return undefined;
  }

  private keptCounts(entry: Entry, classes: number | undefined, keep: (top: string) => boolean): { total: number; trainable: number } {
    let total = 0, trainable = 0;
    for (const o of zoo.buildModel(entry, { batch: 1, seqLen: 8, dtype: 'fp32', mode: 'infer', classes }).ops) {
      if (keep(o.name.split('.')[0])) { total += o.params; trainable += o.trainableParams; }
    }
    return { total, trainable };
  }

  /** A piece of a catalog model: the named top-level children, run in order from the full model's ops. */
  private partOf(m: ObjValue, children: string[], label: string): ObjValue {
    const p: ObjValue = { kind: 'obj', type: 'catalogModel', id: this.cx.id(), loc: m.loc, module: newMeta(m.loc), attrs: new Map(m.attrs) };
    p.attrs.set('part', list(children));
    p.attrs.set('partOf', m.id);
    p.attrs.set('displayName', label);
    p.attrs.delete('trainableHead');
    const entry = this.entryOf(m);
    if (entry) this.entries.set(p.id, entry);
    this.rebuildParams(p);
    return p;
  }

  /** `model.children()` / `model.named_children()` of a catalog model: one part per top-level child. */
  private children(m: ObjValue, named: boolean): Value {
    const entry = this.entryOf(m);
    if (!entry) return unknown('children of a model not in the catalog');
    const part = m.attrs.get('part');
    const classes = isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined;
    const keep = this.keepOf(m);
    const names = isSeq(part) ? part.items.filter((x): x is string => typeof x === 'string') : this.childNames(entry, classes).filter((n) => !keep || keep(n));
    const base = String(m.attrs.get('displayName') ?? zoo.entryName(entry));
    const parts = names.map((n) => this.partOf(m, [n], `${base}.${n}`));
    return list(named ? parts.map((p, i) => tuple([names[i], p])) : parts);
  }

  /** `model.features`, `model.layer4`, `model.transformer`: the named top-level child as a part (heads keep their in/out features). */
  childOf(m: ObjValue, name: string): Value | undefined {
    if (ZooBridge.HEAD_NAMES.test(name)) return this.headOf(m, name);
    const entry = this.entryOf(m);
    if (!entry || m.type !== 'catalogModel' || /^(config|module|base_model)$/.test(name)) return undefined;
    const classes = isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined;
    if (!this.childNames(entry, classes).includes(name)) return undefined;
    return this.partOf(m, [name], `${String(m.attrs.get('displayName') ?? zoo.entryName(entry))}.${name}`);
  }

  /** Image size a part after the first runs at: the input its model's first part saw. */
  private readonly partImage = new Map<number, number>();

  /** Classifier of a torchvision/timm catalog model: input features per class, from the count at 1 and at 2 classes. */
  private headWidth(m: ObjValue): number | undefined {
    const entry = this.entryOf(m);
    if (!entry) return undefined;
    const one = zoo.paramCounts(entry, { classes: 1 }).total;
    const two = zoo.paramCounts(entry, { classes: 2 }).total;
    return two > one ? two - one - 1 : undefined;   // (in_features + bias) per class
  }

  private static readonly HEAD_NAMES = /^(fc|classifier|head|heads)$/;

  /** `model.fc` / `model.classifier` / `model.head` of a catalog classifier: its in/out features. */
  headOf(m: ObjValue, name: string): Value | undefined {
    if (!ZooBridge.HEAD_NAMES.test(name)) return undefined;
    const f = this.headWidth(m);
    if (f === undefined) return undefined;
    const classes = m.attrs.get('classes');
    return { kind: 'obj', type: 'namespace', id: this.cx.id(), attrs: new Map<string, Value>([['in_features', f], ['out_features', isNum(classes) ? classes : unknown('classes')], ['catalogHead', true]]) };
  }

  /** `model.fc = nn.Linear(2048, 37)`: the classifier resized to the new layer's classes (trainable even when the backbone is frozen). */
  replaceHead(m: ObjValue, name: string, v: Value, loc?: Loc): boolean {
    if (this.dropChild(m, name, v)) return true;
    if (!ZooBridge.HEAD_NAMES.test(name)) return false;
    const last = isKind(v, 'container') ? v.items[v.items.length - 1] : v;
    if (!isKind(last, 'layer') || last.name !== 'Linear') return false;
    const out = last.args.out_features;
    const inF = last.args.in_features;
    const f = this.headWidth(m);
    if (typeof out !== 'number' || f === undefined) return false;
    const bias = last.args.bias !== false;
    // A head of several layers (`nn.Sequential(model.fc, nn.ReLU(), nn.Linear(512, 128))`, an MLP classifier) holds all their parameters.
    const mlp = isKind(v, 'container') && v.items.length > 1 ? this.headParams(v.items) : undefined;
    m.attrs.set('classes', out);
    m.attrs.set('trainableHead', mlp ?? f * out + (bias ? out : 0));
    if (mlp !== undefined) m.attrs.set('headParams', mlp); else m.attrs.delete('headParams');
    if (typeof inF === 'number' && inF !== f) this.cx.problem('info', 'head', `${name} expects ${f} input features; the new layer takes ${inF}.`, loc);
    this.rebuildParams(m);
    return true;
  }

  /** Parameters of the layers of a replacement head; the catalog's own head among them (`model.fc` read before) as the Linear it is. */
  private headParams(items: Value[]): number {
    let n = 0;
    for (const x of items) {
      const [i, o] = isKind(x, 'obj') && x.attrs.get('catalogHead') === true ? [x.attrs.get('in_features'), x.attrs.get('out_features')] : [undefined, undefined];
      n += isNum(i) && isNum(o) ? i * o + o : this.lib.countParams([x]).total;
    }
    return n;
  }

  /**
   * `model.fc = nn.Identity()` (or an empty `nn.Sequential()`): that child no longer runs or holds parameters. Another layer put in
   * place of a body child (`model.conv1 = nn.Conv2d(1, 64, …)`) runs in its place when the model is called (catalogSurgery.ts).
   */
  private dropChild(m: ObjValue, name: string, v: Value): boolean {
    const entry = this.entryOf(m);
    if (!entry || m.type !== 'catalogModel') return false;
    const classes = isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined;
    if (!this.childNames(entry, classes).includes(name)) return false;
    const empty = (isKind(v, 'layer') && v.name === 'Identity') || (isKind(v, 'container') && v.items.length === 0);
    if (empty) {
      const d = m.attrs.get('dropped');
      m.attrs.set('dropped', list([...(isSeq(d) ? d.items : []), name]));
      if (ZooBridge.HEAD_NAMES.test(name)) { m.attrs.delete('trainableHead'); m.attrs.delete('headParams'); }
      this.rebuildParams(m);
      return true;
    }
    if (!ZooBridge.HEAD_NAMES.test(name) && (isKind(v, 'layer') || isKind(v, 'container') || isKind(v, 'inst'))) {
      // The script's layer runs in that child's place (catalogSurgery.ts); its parameters replace the child's.
      const r = m.attrs.get('replaced');
      const map = isKind(r, 'dict') ? r : { kind: 'dict' as const, map: new Map<string | number, Value>() };
      map.map.set(name, v);
      m.attrs.set('replaced', map);
      this.rebuildParams(m);
      return true;
    }
    return false;
  }

  setFrozen(m: ObjValue, frozen: boolean): void {
    m.attrs.set('frozen', frozen);
    m.attrs.delete('trainableHead');
    this.rebuildParams(m);
    // The head of a frozen model made trainable again (`for p in model.get_classifier().parameters(): p.requires_grad = True`).
    const parent = this.loaded.find((x) => x.id === m.attrs.get('partOf'));
    const part = m.attrs.get('part');
    if (!frozen && parent?.attrs.get('frozen') === true && isSeq(part) && part.items.length === 1 && ZooBridge.HEAD_NAMES.test(String(part.items[0]))) {
      parent.attrs.set('trainableHead', m.attrs.get('params') ?? 0);
      this.rebuildParams(parent);
    }
  }

  /** timm's `model.get_classifier()`: the classifier child as a part of the model. */
  private classifierPart(m: ObjValue): ObjValue | undefined {
    const entry = this.entryOf(m);
    if (!entry) return undefined;
    const classes = isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined;
    const head = this.childNames(entry, classes).filter((n) => ZooBridge.HEAD_NAMES.test(n)).pop();
    return head ? this.partOf(m, [head], `${String(m.attrs.get('displayName') ?? zoo.entryName(entry))}.${head}`) : undefined;
  }

  private dtypeFor(m: ObjValue): Dtype {
    const auto = this.cx.state.autocast[this.cx.state.autocast.length - 1];
    const d = m.attrs.get('dtype');
    const wd = m.attrs.get('weightDtype');
    const bnbCompute: Dtype | undefined = typeof wd === 'string' && (wd === 'int4' || wd === 'int8') ? 'bf16' : undefined;
    return this.cx.state.forcedDtype ?? auto ?? this.lib.flags.accelerate?.dtype ?? (typeof d === 'string' ? (d as Dtype) : undefined) ?? bnbCompute ?? this.cx.opts.defaultDtype;
  }

  private recordOps(ops: Op[], label: string, loc: Loc | undefined, m: ObjValue): void {
    // `model.requires_grad_(False)` freezes the backbone; a classifier replaced afterwards (model.fc = …) trains.
    const backboneFrozen = m.attrs.get('frozen') === true;
    const headTrains = isNum(m.attrs.get('trainableHead'));
    for (const o of ops) {
      const frozen = (o.trainableParams === 0 || (backboneFrozen && !(headTrains && ZooBridge.HEAD_NAMES.test(o.name.split('.')[0])))) && o.params > 0;
      this.cx.recorder.op({
        cost: {
          kind: o.kind, opClass: o.opClass, outputShape: o.outputShape, params: o.params, forwardFlops: o.forwardFlops, backwardFlops: o.backwardFlops,
          bytesRead: o.bytesRead, bytesWritten: o.bytesWritten, savedBytes: o.savedBytes, causal: o.causal, note: o.note,
        },
        name: o.name, label: o.label || label, loc, declLoc: m.loc, dtype: o.dtype, grad: this.cx.state.noGrad === 0, frozen,
        traced: true, phase: o.phase, rootCall: this.cx.state.currentRoot, count: o.count, moduleId: m.id,
      });
    }
  }

  /** `model(x)` on a catalog model. */
  callObject(m: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value | NotMine {
    if (m.type === 'pipeline') return this.runPipeline(m, pos, kw, loc);
    if (m.type === 'hfpipeline') {
      const model = m.attrs.get('model');
      if (isKind(model, 'obj')) return this.generate(model, batchOfPrompts(pos[0]), kw, loc);
      return UNKNOWN;
    }
    if (m.type === 'tokenizer') return this.tokenize(pos, kw);
    if (m.type !== 'catalogModel') return NOT_MINE;
    const entry = this.entryOf(m);
    if (!entry) return UNKNOWN;
    const x = pos[0] ?? kw.get('input_ids') ?? kw.get('tokens') ?? kw.get('pixel_values') ?? kw.get('x') ?? kw.get('input_features'); // tokens=: torchtune
    const { batch, seq } = this.lib.guessBatchSeq();
    let b = batch.value;
    let s: number | undefined;
    let image: number | undefined;
    // A part after the model's first child (`model.fc`, `model.layer4`) gets features, not the model's input: the input size is
    // the one its model's first part saw.
    const partOf = m.attrs.get('partOf');
    const parentKey = isNum(partOf) ? partOf : m.id;
    const part = m.attrs.get('part');
    const midway = isSeq(part) && part.items[0] !== this.childNames(entry, isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined)[0];
    if (isTensorV(x) && midway) {
      b = x.shape[0] ?? b;
      if (x.shape.length === 3 && zoo.isTokenModel(entry)) s = x.shape[1];
      image = this.partImage.get(parentKey);
    } else if (isTensorV(x)) {
      b = x.shape[0] ?? b;
      if (x.shape.length === 2) s = x.shape[1];
      if (x.shape.length === 4) image = x.shape[2];
      if (image !== undefined) this.partImage.set(parentKey, image);
    } else if (zoo.isTokenModel(entry)) {
      const d = this.cx.directives.seq?.value;
      s = d ?? this.paddedLength ?? seq.value;
      const seqNote = d !== undefined ? 'a # floplens directive' : this.paddedLength !== undefined ? "the tokenizer's padding to max_length" : seq.note;
      this.cx.problem('info', 'shape-fallback', `Input of ${zoo.entryName(entry)} not traced; assuming batch ${b} (${batch.note}) and ${s} tokens (${seqNote}).`, loc);
    }
    if (image === undefined) image = this.cx.directives.image_size?.value;
    if (s !== undefined) this.seq = s;
    const training = this.cx.state.noGrad === 0;
    const opts: Parameters<typeof zoo.buildModel>[1] = {
      batch: b, seqLen: s, targetLen: targetLength(kw.get('labels') ?? kw.get('decoder_input_ids')), imageSize: image, dtype: this.dtypeFor(m), weightDtype: m.attrs.get('weightDtype') as Dtype | undefined,
      mode: training ? 'train' : 'infer', lora: this.loraOf(m), classes: isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined, maskedLm: m.attrs.get('maskedLm') === true,
      // The script's checkpointing, else a recompute= directive (a launcher flag such as --checkpoint-activations).
      recompute: m.attrs.get('gradCheckpointing') === true || this.lib.flags.gradCheckpointing ? 'full' : this.cx.directives.recompute?.value ?? 'none',
    };
    const built = zoo.buildModel(entry, opts);
    // A part called on its own (`f = vgg.features; f(x)`) is a model of the run like the one it came from.
    if (isNum(partOf) && !this.loaded.includes(m)) this.loaded.push(m);
    const keep = this.keepOf(m);
    const surgery = isTensorV(x) && !isSeq(part) ? this.withSurgery(m, entry, x, loc, (s) => zoo.buildModel(entry, { ...opts, imageSize: s }).ops) : undefined;
    const ops = surgery?.ops ?? (keep ? built.ops.filter((o) => keep(o.name.split('.')[0])) : built.ops);
    this.recordOps(ops, String(m.attrs.get('displayName') ?? zoo.entryName(entry)), loc, m);
    this.batchSeen = b;
    if (training && !this.trained) this.trained = { batch: b, seq: s };
    if (training && built.activationBytes !== undefined) this.activationBytes = built.activationBytes;
    if (zoo.isTokenModel(entry) && s !== undefined) { this.tokens = b * s; this.unit = 'tokens/s'; this.items = b * s; }
    const out: ObjValue = { kind: 'obj', type: 'catalogOutput', id: 0, attrs: new Map<string, Value>() };
    let outShape = surgery?.out.shape ?? (ops.length ? ops[ops.length - 1].outputShape : [b]);
    // The model's own forward flattens the pooled features before its classifier (`model.fc = nn.Identity()` returns [B, C]).
    const dropped = m.attrs.get('dropped');
    if (isSeq(dropped) && dropped.items.some((n) => typeof n === 'string' && ZooBridge.HEAD_NAMES.test(n)) && outShape.length === 4 && outShape[2] === 1 && outShape[3] === 1) outShape = outShape.slice(0, 2);
    const logits = tensor(outShape, this.dtypeFor(m));
    out.attrs.set('logits', logits);
    out.attrs.set('last_hidden_state', logits);
    if (kw.has('labels')) out.attrs.set('loss', tensor([], 'fp32'));
    return isTensorV(x) && x.shape.length === 4 && !zoo.isTokenModel(entry) ? logits : out;
  }

  /**
   * A catalog model whose children the script replaced or dropped, called on an image batch: its ops child by child
   * (catalogSurgery.ts), the script's layers traced in their places. Undefined when nothing was replaced, or when the
   * shapes cannot be followed: then the catalog model is costed with its original children, said once.
   */
  private withSurgery(m: ObjValue, entry: Entry, x: Value, loc: Loc | undefined, build: (s: number) => Op[]): { ops: Op[]; out: { shape: number[] } } | undefined {
    const replaced = this.replacedOf(m);
    const d = m.attrs.get('dropped');
    // A dropped body child (`model.maxpool = nn.Identity()`) changes what reaches the later ones; a dropped head does not.
    const bodyDropped = isSeq(d) && d.items.some((n) => !ZooBridge.HEAD_NAMES.test(String(n)));
    if ((!replaced.size && !bodyDropped) || !isTensorV(x)) return undefined;
    const classes = isNum(m.attrs.get('classes')) ? (m.attrs.get('classes') as number) : undefined;
    const plan = surgeryOps({
      children: this.childNames(entry, classes), replaced, dropped: new Set(isSeq(d) ? d.items.map(String) : []), build,
      run: (layer, t) => this.lib.callModule(layer, [t], new Map(), loc),
    }, x);
    if (!plan && m.attrs.get('surgerySaid') !== true) {
      m.attrs.set('surgerySaid', true);
      this.cx.problem('info', 'surgery', `${zoo.entryName(entry)}: ${[...replaced.keys(), ...(isSeq(d) ? d.items.map(String) : [])].join(', ')} replaced or removed, but the shapes through the model could not be followed from [${x.shape.join(', ')}]; FlopLens costs the catalog model with its original children.`, loc);
    }
    return plan;
  }

  /**
   * Nothing called a loaded catalog model where the evaluator could follow it (it runs only inside a function nothing calls,
   * such as a web handler `def predict(x): return model(x)`): cost one request — batch 1 — and say so. False when there is none.
   */
  callUncalled(): boolean {
    const m = this.loaded.find((x) => x.type === 'catalogModel' || x.type === 'pipeline');
    const entry = m ? this.entryOf(m) : undefined;
    if (!m || !entry) return false;
    const name = String(m.attrs.get('displayName') ?? zoo.entryName(entry));
    const saved = this.cx.state.noGrad;
    this.cx.state.noGrad = Math.max(1, saved);
    let what: string;
    try {
      if (m.type === 'pipeline') { this.runPipeline(m, ['a request'], new Map(), m.loc); what = 'one prompt through the pipeline'; }
      else if (entry.arch.kind === 'decoder') { this.generate(m, 1, new Map(), m.loc); what = 'one generate() call for one prompt'; }
      else {
        const s = this.cx.directives.seq?.value ?? entry.defaults?.seqLen ?? this.lib.guessBatchSeq().seq.value;
        const image = this.cx.directives.image_size?.value ?? zoo.defaultImageSize(entry) ?? 224;
        const b = this.cx.directives.batch?.value ?? 1;
        const x = zoo.isTokenModel(entry) ? tensor([b, s], 'int8') : tensor([b, 3, image, image], this.dtypeFor(m));
        this.lib.callModule(m, [x], new Map(), m.loc, 'model');
        what = zoo.isTokenModel(entry) ? `one forward pass of ${b} sequence${b === 1 ? '' : 's'} of ${s} tokens` : `one forward pass of ${b} image${b === 1 ? '' : 's'} at ${image}×${image}`;
      }
    } finally {
      this.cx.state.noGrad = saved;
    }
    this.cx.problem('info', 'no-call', `The script never calls ${name} where FlopLens can follow it (only inside a function nothing calls, such as a web request handler); costed as one request: ${what}. Add \`# floplens: batch=N\` for larger requests.`, m.loc);
    return true;
  }

  /** Prompts in the last tokenizer call on a list whose token counts are unknown. */
  private promptBatch: number | undefined;

  private tokenize(pos: Value[], kw: Map<string, Value>): Value {
    const texts = pos[0] ?? kw.get('text');
    const items = isSeq(texts) ? texts.items : [texts];
    const n = Math.max(1, items.length);
    const ml = kw.get('max_length');
    // A literal prompt: its BPE pieces (one per word, number or punctuation run, as generate()'s prompts are counted)
    // and a start token; padding=True pads the batch to its longest prompt.
    const literal = items.every((x) => typeof x === 'string') ? maxOf(items.map((x) => promptTokens(x as string) + 1)) : undefined;
    if (literal !== undefined && !this.cx.directives.prompt) this.cx.problem('info', 'prompt-estimate', `Prompt length estimated from the literal text: ≈${literal} tokens (one per word or punctuation run, as a BPE pre-tokenizer splits it, and a start token; rare words take more). Add \`# floplens: prompt=N\` to set it.`);
    if (isNum(ml) && kw.get('padding') === 'max_length') this.paddedLength = this.countArg(ml, 1, undefined, 'tokenizer max_length');
    const w = this.watching[this.watching.length - 1];
    if (w) { w.calls++; w.length = longerOf(w.length, tokenizerCallLength(kw)); }
    const seq = isNum(ml) && (kw.get('padding') === 'max_length' || kw.get('truncation') === true) ? ml : this.cx.directives.prompt?.value ?? this.cx.directives.seq?.value ?? literal;
    const enc: ObjValue = { kind: 'obj', type: 'encoding', id: 0, attrs: new Map() };
    const ids = seq !== undefined ? tokenIds(n, seq, !isSeq(texts), isNum(ml) && (kw.get('return_tensors') ?? null) === null) : unknown('token count of a prompt');
    // A list of prompts whose lengths are unknown still fixes the batch: generate() on these ids sees n sequences.
    if (seq === undefined && isSeq(texts)) this.promptBatch = n;
    enc.attrs.set('input_ids', ids);
    enc.attrs.set('attention_mask', ids);
    return enc;
  }

  generateOnModule(_m: Value, _pos: Value[], _kw: Map<string, Value>, loc?: Loc): Value {
    this.cx.problem('info', 'generate', 'generate() on a hand-written model is traced as one forward pass per new token only for catalog models.', loc);
    return UNKNOWN;
  }

  /** `.to("cuda")`, `.to(device="cuda:0")`, `.cuda()` on a loaded model or pipeline: the device the script asks for. */
  private noteDevice(name: string, pos: Value[], kw: Map<string, Value>): void {
    const dev = name === 'cuda' ? 'cuda' : name === 'to' ? [kw.get('device'), ...pos].find((x): x is string => typeof x === 'string') : undefined;
    if (dev) this.lib.flags.device = dev.split(':')[0];
  }

  objMethod(self: ObjValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value | NotMine {
    if (self.type === 'catalogModel') {
      if (name === 'generate') return this.generate(self, pos[0] ?? kw.get('input_ids'), kw, loc);
      if (name === 'requires_grad_') { this.setFrozen(self, pos[0] === false || kw.get('requires_grad') === false); return self; }
      if (name === 'to' || name === 'cuda' || name === 'half' || name === 'bfloat16' || name === 'float' || name === 'eval' || name === 'train') {
        const dt = name === 'half' ? 'fp16' : name === 'bfloat16' ? 'bf16' : name === 'float' ? 'fp32' : dtypeOf(kw.get('dtype') ?? pos.find((x) => dtypeOf(x) !== undefined) ?? null);
        if (dt) self.attrs.set('dtype', dt);
        if (name === 'eval') this.lib.flags.evalCalled = true;
        this.noteDevice(name, pos, kw);
        return self;
      }
      if (name === 'gradient_checkpointing_enable') { self.attrs.set('gradCheckpointing', true); this.lib.flags.gradCheckpointing = true; return null; }
      if (name === 'parameters' || name === 'named_parameters') return { kind: 'obj', type: 'paramset', attrs: new Map<string, Value>([['modules', list([self])], ['named', name === 'named_parameters']]), id: this.cx.id() };
      if (name === 'print_trainable_parameters' || name === 'save_pretrained' || name === 'push_to_hub' || name === 'resize_token_embeddings' || name === 'enable_input_require_grads') return null;
      if (name === 'forward' || name === '__call__') return this.lib.callModule(self, pos, kw, loc);
      const engine = this.lib.engineMethod(self, name, loc);
      if (engine !== NOT_MINE) return engine;
      if (name === 'children' || name === 'named_children') return this.children(self, name === 'named_children');
      if (name === 'get_classifier') return this.classifierPart(self) ?? unknown(`${String(self.attrs.get('displayName'))}.get_classifier()`);
      return unknown(`${String(self.attrs.get('displayName'))}.${name}()`);
    }
    if (self.type === 'pipeline') {
      if (name === 'to' || name === 'enable_model_cpu_offload' || name === 'enable_attention_slicing' || name === 'enable_xformers_memory_efficient_attention' || name === 'enable_vae_slicing') {
        const dt = dtypeOf(kw.get('dtype') ?? pos.find((x) => dtypeOf(x) !== undefined) ?? null);
        if (dt) self.attrs.set('dtype', dt);
        this.noteDevice(name, pos, kw);
        return self;
      }
      return null;
    }
    if (self.type === 'tokenizer') {
      if (name === 'encode') {
        // tok.encode("Hello, I am"): a literal prompt's tokens, estimated (generation.ts) and stated.
        const p = this.cx.directives.prompt?.value ?? (typeof pos[0] === 'string' ? promptTokens(pos[0]) : undefined);
        if (p !== undefined && !this.cx.directives.prompt) this.cx.problem('info', 'prompt-estimate', `Prompt length estimated from the literal text: ≈${p} token${p === 1 ? '' : 's'} (one per word or punctuation mark). Add \`# floplens: prompt=N\` to set it.`, loc);
        return p !== undefined ? list(Array.from({ length: Math.min(p, 1 << 20) }, () => 0)) : unknown('encoded prompt');
      }
      if (name === 'apply_chat_template') { const p = this.cx.directives.prompt?.value; return p !== undefined ? tensor([1, p], 'int8') : unknown('chat prompt tokens'); }
      if (name === 'decode' || name === 'batch_decode') return unknown('decoded text');
      return null;
    }
    if (self.type === 'trainer' && name === 'train') return this.trainerTrain(self, loc);
    if (self.type === 'trainer' || self.type === 'trainingArgs') return null;
    if (self.type === 'encoding' && name === 'to') return self;
    return NOT_MINE;
  }

  /**
   * A count the script gives (max_new_tokens, a batch size, accumulation steps): an integer ≥ `min` below 2^53, or
   * `fallback` with a problem when it is out of range (`-1`, `1e308`, `2**64`, `nan`); undefined when not a number.
   */
  private countArg(v: Value | undefined, min: 0 | 1, fallback: number | undefined, what: string, loc?: Loc): number | undefined {
    if (!isNum(v)) return undefined;
    if (Number.isSafeInteger(v) && v >= min) return v;
    this.cx.problem('warning', 'bad-value', `${what}=${String(v)}: size out of range (expected an integer ≥ ${min} below 2^53); ${fallback === undefined ? 'the default is used' : `assuming ${fallback}`}.`, loc);
    return fallback;
  }

  /** `model.generate(...)`: prefill + decode with a KV cache. */
  private generate(m: ObjValue, input: Value | undefined, kw: Map<string, Value>, loc?: Loc): Value {
    const entry = this.entryOf(m);
    if (!entry) return UNKNOWN;
    const newTokensV = kw.get('max_new_tokens') ?? kw.get('max_length');
    const dirNew = this.cx.directives.new_tokens?.value;
    let newTokens = dirNew ?? this.countArg(newTokensV, 0, 20, 'generate() max_new_tokens', loc);
    if (newTokens === undefined) { newTokens = 20; this.cx.problem('info', 'generate', 'generate() without max_new_tokens: Hugging Face stops at 20 new tokens by default; assuming 20.', loc); }
    const { batch } = this.lib.guessBatchSeq();
    let b = 1;
    let prompt = this.cx.directives.prompt?.value;
    // Encoder inputs (input_features of Whisper, pixel_values) give the batch but not a prompt length.
    const encIn = kw.get('input_features') ?? kw.get('pixel_values');
    if (isTensorV(input)) { b = input.shape[0] ?? 1; prompt = prompt ?? input.shape[1]; }
    else if (isTensorV(encIn)) b = encIn.shape[0] ?? 1;
    else if (isKind(input, 'obj') && input.type === 'encoding') { const ids = input.attrs.get('input_ids'); if (isTensorV(ids)) { b = ids.shape[0]; prompt = prompt ?? ids.shape[1]; } }
    else if (isNum(input)) b = input;
    else if (this.promptBatch !== undefined) b = this.promptBatch;
    if (this.cx.directives.batch) b = batch.value;
    // Whisper starts decoding from its forced tokens: <|startoftranscript|>, language, task, <|notimestamps|>.
    const speech = entry.arch?.kind === 'whisper';
    if (speech) prompt = prompt ?? 4;
    if (prompt === undefined) { prompt = 128; this.cx.problem('info', 'generate', 'Prompt length not visible in the script; assuming 128 tokens. Add `# floplens: prompt=N`.', loc); }
    const w = speech ? zoo.encoderDecoderGenerateWorkload(entry, { batch: b, startTokens: prompt, newTokens, dtype: this.dtypeFor(m) }) : zoo.llmInferenceWorkload(entry, { batch: b, promptTokens: prompt, newTokens, dtype: this.dtypeFor(m), weightDtype: m.attrs.get('weightDtype') as Dtype | undefined });
    if (w.ops.length === 0) {
      // Encoder–decoder generation other than Whisper (T5) has no workload in the catalog yet: say so rather than report 0.
      this.cx.problem('warning', 'generate', `generate() on ${zoo.entryName(entry)} (not a decoder-only LM) is not costed: its encoder pass and ${newTokens} decoder steps are missing from the FLOPs (${b} sequence${b === 1 ? '' : 's'}).`, loc);
    }
    this.cx.recorder.event('generate', false, loc, m.id);
    const saved = this.cx.state.noGrad;
    this.cx.state.noGrad = Math.max(1, saved);
    try {
      this.recordOps(w.ops, 'generate', loc, m);
    } finally {
      this.cx.state.noGrad = saved;
    }
    this.kv = Math.max(this.kv, w.memory.kvCache ?? 0);
    this.gen = { prompt, newTokens };
    this.batchSeen = b;
    this.unit = 'tokens/s';
    this.items = b * newTokens;
    this.seq = prompt;
    return tensor([b, prompt + newTokens], 'int8');
  }

  private runPipeline(m: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const entry = this.entryOf(m);
    if (!entry) return UNKNOWN;
    const prompts = batchOfPrompts(pos[0] ?? kw.get('prompt'));
    const perPrompt = this.countArg(kw.get('num_images_per_prompt'), 1, 1, 'num_images_per_prompt', loc) ?? 1;
    const steps = this.countArg(kw.get('num_inference_steps'), 1, zoo.defaultSteps(entry), 'num_inference_steps', loc) ?? zoo.defaultSteps(entry);
    const g = kw.get('guidance_scale');
    const guidance = isNum(g) ? g : zoo.defaultGuidance(entry);
    const size = this.cx.directives.image_size?.value;
    const height = size ?? this.countArg(kw.get('height'), 1, undefined, 'height', loc);
    const width = size ?? this.countArg(kw.get('width'), 1, undefined, 'width', loc);
    const w = zoo.diffusionWorkload(entry, { batch: (this.cx.directives.batch?.value ?? prompts) * perPrompt, height, width, steps, guidance, dtype: this.dtypeFor(m) });
    this.cx.recorder.event('model-call', false, loc, m.id);
    const saved = this.cx.state.noGrad;
    this.cx.state.noGrad = Math.max(1, saved);
    try {
      this.recordOps(w.ops, zoo.entryName(entry), loc, m);
    } finally {
      this.cx.state.noGrad = saved;
    }
    this.unit = 'images/s';
    this.items = prompts * perPrompt;
    this.batchSeen = prompts * perPrompt;
    const stated = [isNum(kw.get('num_images_per_prompt')) ? `num_images_per_prompt=${perPrompt}` : '', prompts > 1 ? `${prompts} prompts` : ''].filter(Boolean);
    this.batchNote = stated.length && !this.cx.directives.batch ? { note: `${stated.join(' × ')} in the pipeline call`, loc } : undefined;
    if (!this.loaded.includes(m)) this.loaded.push(m);
    const images: ObjValue = { kind: 'obj', type: 'catalogOutput', id: 0, attrs: new Map<string, Value>([['images', list([])]]) };
    return images;
  }

  /** `trainer.train()`: one HF Trainer step inside a loop of the run's length. */
  /**
   * DPO's reference model: the frozen `ref_model=` when given, else the policy itself (TRL copies it, or disables the
   * LoRA adapter), run forward without gradients on the same batch.
   */
  private referenceForward(t: ObjValue, model: ObjValue, bs: number, seq: number, loc?: Loc): void {
    const given = t.attrs.get('refModel');
    const ref = isKind(given, 'obj') && given.type === 'catalogModel' ? given : this.referenceOf(t, model, loc);
    this.cx.state.noGrad++;
    try {
      this.lib.callModule(ref, [tensor([bs, seq], 'int8')], new Map(), loc, 'reference model');
    } finally {
      this.cx.state.noGrad--;
    }
  }

  /**
   * The reference model TRL makes when the script passes none: the policy with its adapter disabled when it trains a PEFT
   * adapter (no new weights), else a frozen copy of the policy — a second set of weights in memory and in the count.
   */
  private referenceOf(t: ObjValue, model: ObjValue, loc?: Loc): ObjValue {
    const peft = t.attrs.get('peft');
    if (model.attrs.has('lora') || (peft !== undefined && peft !== null)) return model;
    const entry = this.entryOf(model);
    if (!entry) return model;
    const copy: ObjValue = { kind: 'obj', type: 'catalogModel', id: this.cx.id(), loc: model.loc, module: newMeta(model.loc), attrs: new Map(model.attrs) };
    copy.attrs.set('displayName', `${String(model.attrs.get('displayName') ?? zoo.entryName(entry))} (reference copy)`);
    copy.attrs.set('frozen', true);
    this.entries.set(copy.id, entry);
    this.rebuildParams(copy);
    this.loaded.push(copy);
    this.cx.problem('info', 'reference-model', `${String(t.attrs.get('class'))} without ref_model and without a PEFT adapter: TRL makes the reference model a frozen copy of the policy, so its weights are held and counted twice (trainable once).`, loc);
    return copy;
  }

  /** `trainer.train()` of a model FlopLens could not resolve: still a training run (mode, steps), with a warning, never a silent 0. */
  private unresolvedTrain(t: ObjValue, model: Value | undefined, cls: string, loc?: Loc): Value {
    if (isModuleValue(model)) return null;
    // `# floplens: model=<hub id>`: the model the command line would have named.
    const named = this.cx.directives.model?.value;
    if (named) {
      const m = this.load(named, 'hf', new Map(), loc, 'catalogModel');
      if (isKind(m, 'obj') && m.type === 'catalogModel') { t.attrs.set('model', m); return this.trainerTrain(t, loc); }
    }
    const d = this.directiveModel('model from directives');
    if (d) {
      const m = this.loadEntry(d, 'model from directives', 'hf', new Map(), loc, 'catalogModel');
      if (isKind(m, 'obj') && m.type === 'catalogModel') { t.attrs.set('model', m); return this.trainerTrain(t, loc); }
    }
    this.cx.problem('warning', 'model-unresolved', `${cls}.train(): the model it trains is not visible statically (${isKind(model, 'unknown') && model.why ? model.why : 'a name from the command line or a config file'}), so its work is not costed. Add \`# floplens: model=<hub id>\` (or \`params=… layers=… hidden=… heads=… vocab=…\` for a model outside the catalog) above the trainer, or load the model by a literal name.`, loc);
    const args = t.attrs.get('args');
    const maxSteps = isKind(args, 'obj') || isKind(args, 'inst') ? args.attrs.get('max_steps') : undefined;
    const steps = isNum(maxSteps) && Number.isSafeInteger(maxSteps) && maxSteps > 0 ? maxSteps : undefined;
    const frame = this.cx.recorder.newFrame(steps, `${cls}.train()`, loc, { note: steps !== undefined ? `max_steps=${steps}` : 'Trainer steps (model and dataset not visible)', loc });
    this.cx.recorder.within({ type: 'loop', frame }, () => {
      this.cx.recorder.event('backward', true, loc);
      this.cx.recorder.event('step', true, loc);
    });
    return null;
  }

  private trainerTrain(t: ObjValue, loc?: Loc): Value {
    const model = t.attrs.get('model');
    const args = t.attrs.get('args');
    const cls = String(t.attrs.get('class') ?? 'Trainer');
    if (!isKind(model, 'obj') || model.type !== 'catalogModel') return this.unresolvedTrain(t, model, cls, loc);
    // A dataclass of the script's own (`class TrainingArguments(transformers.Seq2SeqTrainingArguments)`) holds its fields as attributes.
    const a = (k: string): Value | undefined => (isKind(args, 'obj') || isKind(args, 'inst') ? args.attrs.get(k) : undefined);
    // The batch directive stands for the script's per-device batch (it replaces per_device_train_batch_size); a pairwise
    // trainer runs both sequences of each of those pairs in one model call.
    const pairs = (this.pairs = sequencesPerSample(cls));
    const perDevice = this.cx.directives.batch?.value ?? this.countArg(a('per_device_train_batch_size'), 1, 8, 'per_device_train_batch_size', loc) ?? 8;
    if (pairs > 1) this.cx.problem('info', 'pairwise-batch', `${cls}: each of the ${perDevice} samples per device is a chosen/rejected pair run through the model together, so ${perDevice * pairs} sequences per model call.`, loc);
    const bs = perDevice * pairs;
    const accum = this.cx.directives.accum?.value ?? this.countArg(a('gradient_accumulation_steps'), 1, 1, 'gradient_accumulation_steps', loc) ?? 1;
    const seqV = t.attrs.get('max_seq_length') ?? a('max_seq_length') ?? a('max_length');
    if (isNum(seqV)) this.countArg(seqV, 1, undefined, 'max_seq_length', loc);
    const ds = t.attrs.get('dataset');
    const found = trainerSeq(cls, t.attrs.get('max_seq_length'), a, tokenizedLength(ds) ?? collatedLength(this.cx, t.attrs.get('collator'), perDevice, loc) ?? (this.paddedLength !== undefined ? { value: this.paddedLength, source: 'literal', note: "the tokenizer's padding to max_length" } : undefined));
    const seqGuess = this.lib.guessBatchSeq().seq;
    const seq = this.cx.directives.seq?.value ?? found?.value ?? seqGuess.value;
    if (!this.cx.directives.seq && found) this.seqNote = found;
    if (!this.cx.directives.seq && !found) {
      this.cx.problem('info', 'shape-fallback', `Sequence length of the training samples not visible; assuming ${seq} tokens (${seqGuess.note}). Add \`# floplens: seq=N\`.`, loc);
    }
    const argsLoc = isKind(args, 'obj') ? args.loc ?? loc : loc;
    for (const d of ['bf16', 'fp16'] as const) {
      if (a(d) !== true) continue;
      model.attrs.set('dtype', model.attrs.get('dtype') ?? d);
      this.lib.flags.dtypeSources.push({ dtype: d, what: `TrainingArguments(${d}=True)`, loc: argsLoc });
    }
    if (a('gradient_checkpointing') === true) { model.attrs.set('gradCheckpointing', true); this.lib.flags.gradCheckpointing = true; }
    const optim = a('optim');
    if (typeof optim === 'string') {
      this.optimizer = /8bit/.test(optim) ? 'adam8bit' : /adafactor/.test(optim) ? 'adafactor' : /sgd/.test(optim) ? 'sgd' : 'adamw';
      this.optimizerStated = { note: `optim=${JSON.stringify(optim)} in TrainingArguments`, loc: argsLoc };
    }
    const size = isKind(ds, 'obj') ? ds.attrs.get('size') : isKind(ds, 'inst') ? this.lib.len(ds) : undefined; // the script's own Dataset: its __len__
    const epochs = isNum(a('num_train_epochs')) ? (a('num_train_epochs') as number) : 3;
    const maxSteps = a('max_steps');
    // transformers: update steps per epoch = len(dataloader) // gradient_accumulation_steps (at least 1),
    // max_steps = ceil(num_train_epochs × that); the dataloader keeps its last partial batch by default.
    const dropLast = a('dataloader_drop_last') === true;
    const batches = isNum(size) ? (dropLast ? Math.floor(size / perDevice) : Math.ceil(size / perDevice)) : undefined;
    const steps = isNum(maxSteps) && maxSteps > 0 ? maxSteps : batches !== undefined ? Math.ceil(epochs * Math.max(1, Math.floor(batches / accum))) : undefined;
    const frame = this.cx.recorder.newFrame(steps, 'Trainer.train()', loc, { note: isNum(maxSteps) && maxSteps > 0 ? `max_steps=${maxSteps}` : isNum(size) ? `${epochs} epochs × floor(${batches!.toLocaleString('en-US')} batches of ${perDevice} from ${size.toLocaleString('en-US')} samples / ${accum} accumulation)` : 'Trainer steps (dataset size unknown)', loc });
    this.cx.recorder.within({ type: 'loop', frame }, () => {
      const micro = this.cx.recorder.newFrame(accum, 'gradient accumulation', loc, { note: `gradient_accumulation_steps=${accum}`, loc });
      this.cx.recorder.within({ type: 'loop', frame: micro }, () => {
        this.lib.callModule(model, [tensor([bs, seq], 'int8')], new Map([['labels', tensor([bs, seq], 'int8')]]), loc, 'model');
        if (WITH_REFERENCE.test(cls)) this.referenceForward(t, model, bs, seq, loc);
        this.cx.recorder.event('backward', true, loc);
      });
      this.cx.recorder.event('step', true, loc);
    });
    this.lib.flags.trainers.push(t);
    return null;
  }
}

function batchOfPrompts(v: Value | undefined): number {
  if (isSeq(v)) return Math.max(1, v.items.length);
  return 1;
}

