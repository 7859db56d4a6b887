/**
 * Bytes per trainable parameter of the gradients and the optimizer state, following what the script does with the
 * weights' dtype:
 * - plain torch optimizers (Adam/AdamW/SGD-momentum/…) make their state with `zeros_like(param)`, so on weights cast
 *   to bf16/fp16 (`.to(torch.bfloat16)`, `.half()`, `torch_dtype=torch.bfloat16`, Fabric 'bf16-true', torchtune
 *   `dtype: bf16`) the state is in that dtype and there is no fp32 master copy;
 * - autocast / '-mixed' precision keeps the weights fp32: fp32 state, and the weights are their own master;
 * - bitsandbytes 8-bit optimizers (bnb.optim.AdamW8bit, `optim="adamw_8bit"` / `"paged_adamw_8bit"`) keep 1 byte per
 *   state; its 32-bit and paged optimizers keep fp32 state whatever the weights' dtype;
 * - PEFT adapters (`get_peft_model`) on a 16-bit or quantised base are fp32 (PEFT's `autocast_adapter_dtype`), so their
 *   gradients and state are fp32; torchtune's are built in the recipe's dtype (`adapterDtype`, torchtune.ts).
 * Mixed-precision engines that keep an fp32 master beside 16-bit weights (DeepSpeed bf16/fp16, apex O2) leave the
 * model's weights fp32 in FlopLens's reading, which already charges fp32 weights + fp32 state.
 */
import type { Interpreter } from '../interpret/interpreter';
import { DTYPE_BYTES, type Dtype } from '../types';
import type { Optimizer } from './run';

export interface TrainableBytes {
  /** Gradient bytes per trainable parameter. */
  gradient: number;
  /** Optimizer state bytes per trainable parameter (all its states together). */
  state: number;
  /** The sentence the memory assumption states. */
  note: string;
}

/** The dtype bytes of the trainable parameters: fp32 PEFT adapters, else the weights' own (fp32 when they are quantised). */
function trainableDtypeBytes(it: Interpreter, weightBytes: number): { bytes: number; why: string } {
  const adapted = it.lib.zoo.models().find((m) => m.attrs.has('lora'));
  if (adapted) {
    // torchtune states its adapters' dtype (the recipe's); PEFT keeps adapters fp32 (`autocast_adapter_dtype`).
    const dt = adapted.attrs.get('adapterDtype');
    return typeof dt === 'string' && dt in DTYPE_BYTES ? { bytes: DTYPE_BYTES[dt as Dtype], why: `LoRA adapters in ${dt} (the recipe's dtype)` } : { bytes: 4, why: 'PEFT adapters, fp32' };
  }
  if (weightBytes >= 2) return { bytes: weightBytes, why: weightBytes >= 4 ? 'fp32 weights' : `weights cast to ${weightBytes * 8}-bit` };
  return { bytes: 4, why: 'trainable parameters beside quantised weights, fp32' };
}

export function trainableBytes(it: Interpreter, opt: Optimizer, weightBytes: number): TrainableBytes {
  const t = trainableDtypeBytes(it, weightBytes);
  const gradient = t.bytes;
  if (opt.name === 'none' || opt.bytesPerParam === 0) return { gradient, state: 0, note: `${opt.name === 'none' ? 'no optimizer' : opt.name}: no state; gradients ${gradient} B/param (${t.why})` };
  // bitsandbytes: 8-bit state at 1 byte each; its 32-bit / paged optimizers keep fp32 state.
  if (opt.name === 'adam8bit') return { gradient, state: opt.bytesPerParam, note: `8-bit optimizer: 1 byte per state, ${opt.bytesPerParam} B/param, no fp32 master (${t.why})` };
  const fp32State = /^paged|32bit$/.test(opt.name);
  const state = fp32State ? opt.bytesPerParam : opt.bytesPerParam * (t.bytes / 4);
  const states = opt.bytesPerParam / 4;
  const how = fp32State ? 'bitsandbytes keeps fp32 state' : t.bytes < 4 ? 'a torch optimizer keeps its state in the parameters\' dtype (zeros_like), no fp32 master' : 'fp32 state';
  return { gradient, state, note: `${opt.name}: ${states} state${states === 1 ? '' : 's'} × ${state / states} B = ${state} B/param (${t.why}; ${how})` };
}
