import type { GuideInput, GuideSettings } from '../../statecharts/index.js';

export const TEST_SETTINGS: GuideSettings = {
  defaultLang: 'vi',
  minConfidence: 0.5,
  maxReprompts: 2,
  maxClarifications: 2,
  maxCallOuts: 2,
  maxEscortAttempts: 2,
  greetRadiusM: 1.5,
  followMaxDistanceM: 3,
  followRejoinDistanceM: 2,
  escortSpeedMps: 0.6,
  batteryLowPercent: 25,
  batteryCriticalPercent: 10,
  batteryChargedPercent: 90,
  idReaderAvailable: true,
  timeoutsMs: {
    speak: 30_000,
    listen: 12_000,
    classify: 2_000,
    readId: 60_000,
    ticket: 5_000,
    escort: 180_000,
    escortWait: 8_000,
    callOut: 6_000,
    arrivedLinger: 5_000,
    halted: 120_000,
    handoff: 300_000,
    returnHome: 180_000,
  },
};

export const TEST_INPUT: GuideInput = {
  settings: TEST_SETTINGS,
  counters: [
    { id: 'counter-1', fields: ['civil_status'] },
    { id: 'counter-2', fields: ['certification'] },
  ],
  procedures: {
    birth_registration: { field: 'civil_status', idCards: 1 },
    marriage_registration: { field: 'civil_status', idCards: 2 },
    copy_certification: { field: 'certification', idCards: 0 },
    land_certificate: { field: 'land', idCards: 1 },
  },
  homeId: 'home',
  dockId: 'dock',
};
