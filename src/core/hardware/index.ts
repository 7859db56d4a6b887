/** The hardware catalog, custom-profile validation and the this-machine profile. */
export type { HardwareProfile, Price } from './types';
export { HARDWARE, DEFAULT_COMPARE_IDS, getHardware, resolveHardwareIds } from './catalog';
export { validateHardwareProfiles, hardwareProfileErrors, HARDWARE_RANGES, MAX_CUSTOM_PROFILES, MAX_PROFILE_ERRORS } from './validate';
