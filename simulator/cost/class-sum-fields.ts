// The fields of one kernel class's measured sums (class-mix.json): calls, instructions, the plugin's classes and
// its memory-access counts. Shared by the measuring side (calibrate/) and the reading side (class-mix.ts).
export const SUM_FIELDS_LIST = [
  'calls', 'instructions', 'load', 'loadPipelined', 'loadMultiple', 'store', 'storeMultiple', 'mul', 'div',
  'branchTaken', 'branchNotTaken', 'other', 'flashLoads', 'sramLoads', 'storedWords',
] as const;
