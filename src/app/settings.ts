import type { GuideSettings } from '../../statecharts/guide.types.js';

/** The guide's defaults, chosen for a busy lobby; every one can be overridden in the config. */
export const DEFAULT_GUIDE_SETTINGS: GuideSettings = {
  defaultLang: 'vi',
  minConfidence: 0.5,
  maxReprompts: 2,
  maxClarifications: 3,
  maxCallOuts: 3,
  maxEscortAttempts: 2,
  greetRadiusM: 1.5,
  followMaxDistanceM: 4,
  followRejoinDistanceM: 2.5,
  escortSpeedMps: 0.6,
  batteryLowPercent: 25,
  batteryCriticalPercent: 10,
  batteryChargedPercent: 90,
  idReaderAvailable: false,
  timeoutsMs: {
    speak: 45_000,
    listen: 12_000,
    classify: 2_000,
    readId: 60_000,
    ticket: 5_000,
    escort: 240_000,
    escortWait: 8_000,
    callOut: 6_000,
    arrivedLinger: 6_000,
    halted: 120_000,
    handoff: 120_000,
    returnHome: 240_000,
  },
};
