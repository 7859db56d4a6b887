/** The hardware catalog, custom-profile validation and the this-machine profile. */
export type { HardwareProfile, Price } from './types';
export { HARDWARE, DEFAULT_COMPARE_IDS, getHardware, resolveHardwareIds } from './catalog';
export { validateHardwareProfiles } from './validate';
export { thisMachineProfile, nearestKnownDevice, type MeasuredRates, type KnownDeviceMatch } from './thisMachine';
