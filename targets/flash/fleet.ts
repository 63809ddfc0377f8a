// Several ports flashed at once, one independent session each. Whatever one session throws is caught and
// kept with its port, so a failing board never stops the others; each outcome says how long its port took.
export type FleetOutcome<T> = { port: string; ok: true; result: T; seconds: number } | { port: string; ok: false; error: unknown; seconds: number };

export async function runFleet<T>(ports: readonly string[], session: (port: string) => Promise<T>): Promise<FleetOutcome<T>[]> {
  if (new Set(ports).size !== ports.length) throw new Error('a port appears twice in the fleet: each port takes one session');
  return Promise.all(
    ports.map(async (port): Promise<FleetOutcome<T>> => {
      const t0 = Date.now();
      try {
        const result = await session(port);
        return { port, ok: true, result, seconds: (Date.now() - t0) / 1000 };
      } catch (error) {
        return { port, ok: false, error, seconds: (Date.now() - t0) / 1000 };
      }
    }),
  );
}
