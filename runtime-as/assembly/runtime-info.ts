// What the host needs to know about the module's own memory use before it lays out a model.

/** First byte after the module's static data: the host places constants and the arena from here up. */
export function heap_base(): usize {
  return __heap_base;
}
