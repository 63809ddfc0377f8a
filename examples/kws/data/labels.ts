// Class order of the keyword model: MLPerf Tiny's (so the reference model and ours read the same labels).
export const KEYWORDS = ['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes'] as const;
export const LABELS = [...KEYWORDS, 'silence', 'unknown'] as const;
export type Label = (typeof LABELS)[number];
export const SILENCE = LABELS.indexOf('silence');
export const UNKNOWN = LABELS.indexOf('unknown');
