/**
 * Diffusion components as diffusers builds them: UNet2DConditionModel (SD 1.x, SDXL),
 * AutoencoderKL (encoder and decoder halves), and FluxTransformer2DModel (FLUX.1 MMDiT).
 * Module paths follow diffusers.
 */
import type { FluxConfig, UnetConfig, VaeConfig } from '../types';
import { copyCost, elementwiseCost } from '../../ops/primitives';
import { act, attention, binary, conv2d, linear, norm, push, type EmitContext } from '../emit';
import { attentionBlock, mlpBlock } from './transformer';

const J = (...parts: (string | number)[]): string => parts.filter((p) => p !== '').join('.');

function groupNorm(ctx: EmitContext, name: string, x: number[], ch: number): void {
  norm(ctx, name, 'group_norm', 'nn.GroupNorm', x, 2 * ch);
}

/** diffusers ResnetBlock2D (time embedding projection when `temb` > 0). */
function resnetBlock(ctx: EmitContext, P: string, x: number[], cout: number, temb: number): number[] {
  const [B, cin] = x;
  groupNorm(ctx, `${P}.norm1`, x, cin);
  act(ctx, `${P}.nonlinearity`, 'silu', x);
  const y = conv2d(ctx, `${P}.conv1`, x, cin, cout, { k: 3, pad: 1, bias: true });
  if (temb > 0) {
    act(ctx, `${P}.time_emb_act`, 'silu', [B, temb]);
    linear(ctx, `${P}.time_emb_proj`, [B, temb], temb, cout, { bias: true });
    binary(ctx, `${P}.time_emb_add`, 'add', y);
  }
  groupNorm(ctx, `${P}.norm2`, y, cout);
  act(ctx, `${P}.nonlinearity2`, 'silu', y);
  conv2d(ctx, `${P}.conv2`, y, cout, cout, { k: 3, pad: 1, bias: true });
  if (cin !== cout) conv2d(ctx, `${P}.conv_shortcut`, x, cin, cout, { k: 1, bias: true });
  binary(ctx, `${P}.residual`, 'add', y);
  return y;
}

/** diffusers Transformer2DModel with BasicTransformerBlocks (self-attn, cross-attn, GEGLU FF). */
function transformer2d(ctx: EmitContext, P: string, x: number[], heads: number, depth: number, c: UnetConfig, textLen: number): void {
  const [B, C, H, W] = x;
  const t = [B, H * W, C];
  groupNorm(ctx, `${P}.norm`, x, C);
  if (c.linearProjection) linear(ctx, `${P}.proj_in`, t, C, C, { bias: true });
  else conv2d(ctx, `${P}.proj_in`, x, C, C, { k: 1, bias: true });
  const sp = { hidden: C, heads, kvHeads: heads, headDim: C / heads, qkvBias: false, outBias: true, fused: false, rope: false, causal: false };
  const an = (b: string, a: string) => ({ q: `${b}.${a}.to_q`, k: `${b}.${a}.to_k`, v: `${b}.${a}.to_v`, o: `${b}.${a}.to_out.0`, qkv: '', core: `${b}.${a}` });
  for (let d = 0; d < depth; d++) {
    const b = `${P}.transformer_blocks.${d}`;
    norm(ctx, `${b}.norm1`, 'layer_norm', 'nn.LayerNorm', t, 2 * C);
    attentionBlock(ctx, an(b, 'attn1'), sp, t);
    binary(ctx, `${b}.attn1.residual`, 'add', t);
    norm(ctx, `${b}.norm2`, 'layer_norm', 'nn.LayerNorm', t, 2 * C);
    attentionBlock(ctx, an(b, 'attn2'), sp, t, { kvSource: [B, textLen, c.crossDim], kvInDim: c.crossDim });
    binary(ctx, `${b}.attn2.residual`, 'add', t);
    norm(ctx, `${b}.norm3`, 'layer_norm', 'nn.LayerNorm', t, 2 * C);
    mlpBlock(ctx, { gateUp: `${b}.ff.net.0.proj`, up: '', gate: '', down: `${b}.ff.net.2`, act: `${b}.ff.net.0.gelu`, mul: `${b}.ff.net.0.mul` },
      { hidden: C, ffn: 4 * C, act: 'gelu', gated: true, bias: true, fusedGateUp: true }, t);
    binary(ctx, `${b}.ff.residual`, 'add', t);
  }
  if (c.linearProjection) linear(ctx, `${P}.proj_out`, t, C, C, { bias: true });
  else conv2d(ctx, `${P}.proj_out`, x, C, C, { k: 1, bias: true });
  binary(ctx, `${P}.residual`, 'add', x);
}

function cat(ctx: EmitContext, name: string, shape: number[]): void {
  push(ctx, name, 'torch.cat', copyCost('cat', shape, ctx.dtype), [shape]);
}

/** TimestepEmbedding: linear_1 → SiLU → linear_2. */
function timestepEmbedding(ctx: EmitContext, P: string, B: number, cin: number, cout: number): void {
  linear(ctx, `${P}.linear_1`, [B, cin], cin, cout, { bias: true });
  act(ctx, `${P}.act`, 'silu', [B, cout]);
  linear(ctx, `${P}.linear_2`, [B, cout], cout, cout, { bias: true });
}

/** One UNet2DConditionModel forward on latents `[B, in, h, w]` with `textLen` conditioning tokens. */
export function buildUnet(ctx: EmitContext, c: UnetConfig, B: number, h: number, w: number, textLen: number, prefix = 'unet'): void {
  const P = (s: string): string => J(prefix, s);
  const ch0 = c.blockOut[0];
  const temb = 4 * ch0;
  push(ctx, P('time_proj'), 'Timesteps', elementwiseCost('timestep_sinusoid', [B, ch0], ctx.dtype, 4, 1, false), [[B]]);
  timestepEmbedding(ctx, P('time_embedding'), B, ch0, temb);
  if (c.addEmbed) {
    push(ctx, P('add_time_proj'), 'Timesteps', elementwiseCost('timestep_sinusoid', [B, 6 * c.addEmbed.timeDim], ctx.dtype, 4, 1, false), [[B, 6]]);
    timestepEmbedding(ctx, P('add_embedding'), B, c.addEmbed.projInput, temb);
    binary(ctx, P('add_embedding.add'), 'add', [B, temb]);
  }
  let x = conv2d(ctx, P('conv_in'), [B, c.inChannels, h, w], c.inChannels, ch0, { k: 3, pad: 1, bias: true });
  const skips: number[][] = [x];
  const n = c.blockOut.length;
  for (let i = 0; i < n; i++) {
    const out = c.blockOut[i];
    for (let j = 0; j < c.layersPerBlock; j++) {
      x = resnetBlock(ctx, P(`down_blocks.${i}.resnets.${j}`), x, out, temb);
      if (c.transformerDepth[i] > 0) transformer2d(ctx, P(`down_blocks.${i}.attentions.${j}`), x, c.heads[i], c.transformerDepth[i], c, textLen);
      skips.push(x);
    }
    if (i < n - 1) {
      x = conv2d(ctx, P(`down_blocks.${i}.downsamplers.0.conv`), x, out, out, { k: 3, stride: 2, pad: 1, bias: true });
      skips.push(x);
    }
  }
  const top = c.blockOut[n - 1];
  x = resnetBlock(ctx, P('mid_block.resnets.0'), x, top, temb);
  transformer2d(ctx, P('mid_block.attentions.0'), x, c.heads[n - 1], c.midDepth, c, textLen);
  x = resnetBlock(ctx, P('mid_block.resnets.1'), x, top, temb);
  for (let i = 0; i < n; i++) {
    const level = n - 1 - i;
    const out = c.blockOut[level];
    for (let j = 0; j <= c.layersPerBlock; j++) {
      const skip = skips.pop() ?? x;
      const joined = [B, x[1] + skip[1], x[2], x[3]];
      cat(ctx, P(`up_blocks.${i}.resnets.${j}.cat`), joined);
      x = resnetBlock(ctx, P(`up_blocks.${i}.resnets.${j}`), joined, out, temb);
      if (c.transformerDepth[level] > 0) transformer2d(ctx, P(`up_blocks.${i}.attentions.${j}`), x, c.heads[level], c.transformerDepth[level], c, textLen);
    }
    if (i < n - 1) {
      const up = [B, out, x[2] * 2, x[3] * 2];
      push(ctx, P(`up_blocks.${i}.upsamplers.0.interpolate`), 'F.interpolate', copyCost('upsample_nearest2d', up, ctx.dtype), [x]);
      x = conv2d(ctx, P(`up_blocks.${i}.upsamplers.0.conv`), up, out, out, { k: 3, pad: 1, bias: true });
    }
  }
  groupNorm(ctx, P('conv_norm_out'), x, ch0);
  act(ctx, P('conv_act'), 'silu', x);
  conv2d(ctx, P('conv_out'), x, ch0, c.outChannels, { k: 3, pad: 1, bias: true });
}

// ---------------------------------------------------------------------------------------------------
// AutoencoderKL

function vaeMid(ctx: EmitContext, P: string, x: number[], ch: number): void {
  resnetBlock(ctx, `${P}.resnets.0`, x, ch, 0);
  const [B, C, H, W] = x;
  const A = `${P}.attentions.0`;
  groupNorm(ctx, `${A}.group_norm`, x, C);
  const t = [B, H * W, C];
  attentionBlock(ctx, { q: `${A}.to_q`, k: `${A}.to_k`, v: `${A}.to_v`, o: `${A}.to_out.0`, qkv: '', core: A },
    { hidden: C, heads: 1, kvHeads: 1, headDim: C, qkvBias: true, outBias: true, fused: false, rope: false, causal: false }, t);
  binary(ctx, `${A}.residual`, 'add', x);
  resnetBlock(ctx, `${P}.resnets.1`, x, ch, 0);
}

/** VAE encoder on images `[B, 3, H, W]` (img2img, training); includes quant_conv. */
export function buildVaeEncoder(ctx: EmitContext, c: VaeConfig, B: number, H: number, W: number, prefix = 'vae'): void {
  const P = (s: string): string => J(prefix, s);
  let x = conv2d(ctx, P('encoder.conv_in'), [B, 3, H, W], 3, c.blockOut[0], { k: 3, pad: 1, bias: true });
  const n = c.blockOut.length;
  for (let i = 0; i < n; i++) {
    const out = c.blockOut[i];
    for (let j = 0; j < c.layersPerBlock; j++) x = resnetBlock(ctx, P(`encoder.down_blocks.${i}.resnets.${j}`), x, out, 0);
    if (i < n - 1) {
      // Asymmetric (0, 1, 0, 1) padding, then a stride-2 3×3 conv without padding.
      x = conv2d(ctx, P(`encoder.down_blocks.${i}.downsamplers.0.conv`), [B, out, x[2] + 1, x[3] + 1], out, out, { k: 3, stride: 2, pad: 0, bias: true });
    }
  }
  const top = c.blockOut[n - 1];
  vaeMid(ctx, P('encoder.mid_block'), x, top);
  groupNorm(ctx, P('encoder.conv_norm_out'), x, top);
  act(ctx, P('encoder.conv_act'), 'silu', x);
  x = conv2d(ctx, P('encoder.conv_out'), x, top, 2 * c.latentChannels, { k: 3, pad: 1, bias: true });
  if (c.quantConv) conv2d(ctx, P('quant_conv'), x, 2 * c.latentChannels, 2 * c.latentChannels, { k: 1, bias: true });
}

/** VAE decoder on latents `[B, latent, h, w]` → images `[B, 3, 8h, 8w]`; includes post_quant_conv. */
export function buildVaeDecoder(ctx: EmitContext, c: VaeConfig, B: number, h: number, w: number, prefix = 'vae'): void {
  const P = (s: string): string => J(prefix, s);
  const L = c.latentChannels;
  let x = [B, L, h, w];
  if (c.quantConv) x = conv2d(ctx, P('post_quant_conv'), x, L, L, { k: 1, bias: true });
  const n = c.blockOut.length;
  const top = c.blockOut[n - 1];
  x = conv2d(ctx, P('decoder.conv_in'), x, L, top, { k: 3, pad: 1, bias: true });
  vaeMid(ctx, P('decoder.mid_block'), x, top);
  for (let i = 0; i < n; i++) {
    const out = c.blockOut[n - 1 - i];
    for (let j = 0; j <= c.layersPerBlock; j++) x = resnetBlock(ctx, P(`decoder.up_blocks.${i}.resnets.${j}`), x, out, 0);
    if (i < n - 1) {
      const up = [B, out, x[2] * 2, x[3] * 2];
      push(ctx, P(`decoder.up_blocks.${i}.upsamplers.0.interpolate`), 'F.interpolate', copyCost('upsample_nearest2d', up, ctx.dtype), [x]);
      x = conv2d(ctx, P(`decoder.up_blocks.${i}.upsamplers.0.conv`), up, out, out, { k: 3, pad: 1, bias: true });
    }
  }
  const ch0 = c.blockOut[0];
  groupNorm(ctx, P('decoder.conv_norm_out'), x, ch0);
  act(ctx, P('decoder.conv_act'), 'silu', x);
  conv2d(ctx, P('decoder.conv_out'), x, ch0, 3, { k: 3, pad: 1, bias: true });
}

// ---------------------------------------------------------------------------------------------------
// FLUX.1 MMDiT

/** AdaLayerNorm modulation: SiLU(temb) → Linear(D → m·D) → LayerNorm (no affine) → x·(1+scale)+shift. */
function adaNorm(ctx: EmitContext, P: string, B: number, D: number, m: number, x: number[]): void {
  act(ctx, `${P}.silu`, 'silu', [B, D]);
  linear(ctx, `${P}.linear`, [B, D], D, m * D, { bias: true });
  norm(ctx, `${P}.norm`, 'layer_norm', 'nn.LayerNorm', x, 0);
  push(ctx, `${P}.modulate`, 'modulate', elementwiseCost('modulate', x, ctx.dtype, 2, 2, true), [x]);
}

function gateAdd(ctx: EmitContext, name: string, x: number[]): void {
  binary(ctx, `${name}.gate`, 'mul', x, true);
  binary(ctx, `${name}.residual`, 'add', x);
}

/** One FluxTransformer2DModel forward: `Ni` packed image tokens, `Nt` T5 tokens. */
export function buildFlux(ctx: EmitContext, c: FluxConfig, B: number, Ni: number, Nt: number, prefix = 'transformer'): void {
  const P = (s: string): string => J(prefix, s);
  const D = c.heads * c.headDim;
  const F = c.mlpRatio * D;
  const img = [B, Ni, D];
  const txt = [B, Nt, D];
  linear(ctx, P('x_embedder'), [B, Ni, c.inChannels], c.inChannels, D, { bias: true });
  push(ctx, P('time_text_embed.time_proj'), 'Timesteps', elementwiseCost('timestep_sinusoid', [B, 256], ctx.dtype, 4, 1, false), [[B]]);
  timestepEmbedding(ctx, P('time_text_embed.timestep_embedder'), B, 256, D);
  if (c.guidanceEmbeds) timestepEmbedding(ctx, P('time_text_embed.guidance_embedder'), B, 256, D);
  linear(ctx, P('time_text_embed.text_embedder.linear_1'), [B, c.pooledDim], c.pooledDim, D, { bias: true });
  act(ctx, P('time_text_embed.text_embedder.act_1'), 'silu', [B, D]);
  linear(ctx, P('time_text_embed.text_embedder.linear_2'), [B, D], D, D, { bias: true });
  linear(ctx, P('context_embedder'), [B, Nt, c.jointDim], c.jointDim, D, { bias: true });
  const N = Ni + Nt;
  const qkNorm = (name: string, x: number[]): void => { norm(ctx, name, 'rms_norm', 'RMSNorm', x, c.headDim); };
  const rope = (name: string, x: number[]): void => {
    push(ctx, name, 'apply_rotary_emb', elementwiseCost('rotary', [x[0], x[1], 2 * D], ctx.dtype, 3, 1, false), [x]);
  };
  for (let i = 0; i < c.doubleLayers; i++) {
    const b = P(`transformer_blocks.${i}`);
    adaNorm(ctx, `${b}.norm1`, B, D, 6, img);
    adaNorm(ctx, `${b}.norm1_context`, B, D, 6, txt);
    for (const p of ['to_q', 'to_k', 'to_v']) linear(ctx, `${b}.attn.${p}`, img, D, D, { bias: true });
    qkNorm(`${b}.attn.norm_q`, img); qkNorm(`${b}.attn.norm_k`, img);
    for (const p of ['add_q_proj', 'add_k_proj', 'add_v_proj']) linear(ctx, `${b}.attn.${p}`, txt, D, D, { bias: true });
    qkNorm(`${b}.attn.norm_added_q`, txt); qkNorm(`${b}.attn.norm_added_k`, txt);
    rope(`${b}.attn.rotary_emb`, [B, N, D]);
    attention(ctx, `${b}.attn`, { batch: B, heads: c.heads, seqQ: N, seqK: N, headDim: c.headDim }, { causal: false, label: 'FluxAttnProcessor' });
    linear(ctx, `${b}.attn.to_out.0`, img, D, D, { bias: true });
    linear(ctx, `${b}.attn.to_add_out`, txt, D, D, { bias: true });
    gateAdd(ctx, `${b}.attn`, img);
    gateAdd(ctx, `${b}.attn_context`, txt);
    for (const [nn, ff, x] of [['norm2', 'ff', img], ['norm2_context', 'ff_context', txt]] as [string, string, number[]][]) {
      norm(ctx, `${b}.${nn}`, 'layer_norm', 'nn.LayerNorm', x, 0);
      push(ctx, `${b}.${nn}.modulate`, 'modulate', elementwiseCost('modulate', x, ctx.dtype, 2, 2, true), [x]);
      mlpBlock(ctx, { up: `${b}.${ff}.net.0.proj`, gate: '', gateUp: '', down: `${b}.${ff}.net.2`, act: `${b}.${ff}.net.0.gelu`, mul: '' },
        { hidden: D, ffn: F, act: 'gelu_tanh', gated: false, bias: true }, x);
      gateAdd(ctx, `${b}.${ff}`, x);
    }
  }
  const x = [B, N, D];
  for (let i = 0; i < c.singleLayers; i++) {
    const b = P(`single_transformer_blocks.${i}`);
    adaNorm(ctx, `${b}.norm`, B, D, 3, x);
    linear(ctx, `${b}.proj_mlp`, x, D, F, { bias: true });
    act(ctx, `${b}.act_mlp`, 'gelu_tanh', [B, N, F]);
    for (const p of ['to_q', 'to_k', 'to_v']) linear(ctx, `${b}.attn.${p}`, x, D, D, { bias: true });
    qkNorm(`${b}.attn.norm_q`, x); qkNorm(`${b}.attn.norm_k`, x);
    rope(`${b}.attn.rotary_emb`, x);
    attention(ctx, `${b}.attn`, { batch: B, heads: c.heads, seqQ: N, seqK: N, headDim: c.headDim }, { causal: false, label: 'FluxAttnProcessor' });
    cat(ctx, `${b}.cat`, [B, N, D + F]);
    linear(ctx, `${b}.proj_out`, [B, N, D + F], D + F, D, { bias: true });
    gateAdd(ctx, b, x);
  }
  act(ctx, P('norm_out.silu'), 'silu', [B, D]);
  linear(ctx, P('norm_out.linear'), [B, D], D, 2 * D, { bias: true });
  norm(ctx, P('norm_out.norm'), 'layer_norm', 'nn.LayerNorm', img, 0);
  push(ctx, P('norm_out.modulate'), 'modulate', elementwiseCost('modulate', img, ctx.dtype, 2, 2, true), [img]);
  linear(ctx, P('proj_out'), img, D, c.inChannels, { bias: true });
}
