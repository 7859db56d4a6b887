/**
 * Collective communication between devices (formulas.md §6.7).
 *
 * Ring all-reduce of `B` bytes over `n` devices moves `2·(n−1)/n · B` per device; all-gather and reduce-scatter move
 * half of that. Across nodes the collective is hierarchical: a ring inside each node over the scale-up link
 * (NVLink / Infinity Fabric; PCIe when absent), and a ring across nodes whose bandwidth per node is the sum of its
 * devices' NICs (`scaleOutBandwidth`; absent → one 100 Gb/s Ethernet link per node).
 * Latency: ≈10 µs per collective inside a node plus ≈20 µs per doubling of the node count (NCCL tree/ring
 * start-up; u).
 */
import type { HardwareProfile } from '../hardware/types';
import { LINK_EFFICIENCY, type Range } from './efficiency';

/** 100 Gb/s Ethernet per node, bytes/s per direction: the default between nodes. */
export const DEFAULT_NODE_NETWORK = 12.5e9;
export const INTRA_LATENCY_SECONDS = 10e-6;
export const INTER_LATENCY_SECONDS = 20e-6;

export type Collective = 'all-reduce' | 'all-gather' | 'reduce-scatter';

type Band = keyof Range;

/** Devices per node for this profile (at least 1). */
export function nodeSize(hw: HardwareProfile): number {
  const d = hw.devicesPerNode;
  return d !== undefined && d >= 1 ? Math.floor(d) : 1;
}

/** Bandwidth between devices inside a node (bytes/s per direction, before efficiency) and which link. */
export function intraLink(hw: HardwareProfile): { bandwidth: number; link: 'nvlink' | 'pcie' } {
  if (hw.scaleUpBandwidth && hw.scaleUpBandwidth > 0) return { bandwidth: hw.scaleUpBandwidth, link: 'nvlink' };
  // No scale-up link: device-to-device traffic crosses PCIe (through the host when P2P is off).
  const pcie = hw.hostLinkBandwidth && hw.hostLinkBandwidth > 0 ? hw.hostLinkBandwidth : 15.75e9;
  return { bandwidth: pcie / (hw.kind === 'cpu' ? 1 : 2), link: 'pcie' };
}

/** Aggregate network bandwidth of one node, bytes/s per direction. */
export function nodeNetwork(hw: HardwareProfile): number {
  if (hw.scaleOutBandwidth && hw.scaleOutBandwidth > 0) return hw.scaleOutBandwidth * nodeSize(hw);
  return DEFAULT_NODE_NETWORK;
}

/**
 * Seconds for one collective of `bytes` (the full buffer each device contributes / receives) over `n` devices,
 * `perNode` of them in each node. `band` picks the link efficiency (`high` = fast).
 */
export function collectiveSeconds(kind: Collective, bytes: number, n: number, hw: HardwareProfile, band: Band = 'mid', perNode = nodeSize(hw)): number {
  if (!(n > 1) || !(bytes > 0)) return 0;
  const factor = kind === 'all-reduce' ? 2 : 1;
  const d = Math.max(1, Math.min(n, perNode));
  const nodes = Math.ceil(n / d);
  const intra = intraLink(hw);
  const intraBw = intra.bandwidth * LINK_EFFICIENCY[intra.link][band];
  let t = 0;
  if (d > 1) t += factor * ((d - 1) / d) * bytes / intraBw + INTRA_LATENCY_SECONDS;
  if (nodes > 1) {
    // Each node's devices split the buffer and use their own NICs in parallel: the node's aggregate rate.
    const interBw = Math.min(nodeNetwork(hw), d * nodeNetwork(hw) / nodeSize(hw)) * LINK_EFFICIENCY.network[band];
    t += factor * ((nodes - 1) / nodes) * bytes / interBw + INTER_LATENCY_SECONDS * Math.ceil(Math.log2(nodes));
  }
  return t;
}

/** Ring all-reduce seconds, the formula of §6.7: `2(n−1)/n · bytes / bandwidth + latency` (hierarchical across nodes). */
export function allReduceSeconds(bytes: number, n: number, hw: HardwareProfile, band: Band = 'mid', perNode?: number): number {
  return collectiveSeconds('all-reduce', bytes, n, hw, band, perNode);
}
