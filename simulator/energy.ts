// Energy per inference from active power x time, and duty-cycled operation on a battery:
// between inferences the board sleeps at its sleep current.
import type { BoardPower } from '../targets/boards/board-schema.ts';

/** µJ spent running for `us` microseconds: V x mA = mW, mW x µs = nJ. */
export function activeEnergyUj(power: BoardPower, us: number): number {
  return (power.supplyVoltage * power.activeCurrentMa * us) / 1000;
}

/** µJ spent asleep for `us` microseconds at the board's sleep current. */
export function sleepEnergyUj(power: BoardPower, us: number): number {
  return (power.supplyVoltage * (power.sleepCurrentUa / 1000) * us) / 1000;
}

export interface Battery {
  mAh: number;
  /** Battery voltage; absent means the board's supply voltage (no conversion). */
  volts?: number;
}

export class BatterySpecError extends Error {
  override name = 'BatterySpecError';
}

/** `2000` or `2000@3.7` (mAh, optionally @ volts). */
export function parseBattery(spec: string): Battery {
  const m = /^(\d+(?:\.\d+)?)(?:\s*mAh)?(?:@(\d+(?:\.\d+)?)\s*V?)?$/i.exec(spec.trim());
  if (!m || Number(m[1]) <= 0 || (m[2] !== undefined && Number(m[2]) <= 0)) {
    throw new BatterySpecError(`--battery '${spec}' is not <mAh>[@<volts>], for example --battery 1000 or --battery 220@3.0`);
  }
  return { mAh: Number(m[1]), ...(m[2] !== undefined ? { volts: Number(m[2]) } : {}) };
}

export interface DutyCycleResult {
  rateHz: number;
  periodMs: number;
  latencyMs: number;
  /** Fraction of each period spent computing (capped at 1). */
  duty: number;
  realTime: boolean;
  /** The highest rate the board sustains (1 / latency). */
  maxRateHz: number;
  averageCurrentMa: number;
  averagePowerMw: number;
  energyPerInferenceUj: number;
  /** One period: the inference at the run current, then sleep at the sleep current until the next one. */
  energyPerPeriodUj: number;
  battery?: Battery & { days: number; hours: number };
  verdict: string;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/**
 * Average current and battery life at `rateHz` inferences per second. The battery powers the board
 * through a lossless converter: battery energy (mAh x V) over average power (supply V x mA).
 */
export function dutyCycle(latencyMs: number, power: BoardPower, rateHz: number, battery?: Battery): DutyCycleResult {
  const periodMs = 1000 / rateHz;
  const realTime = latencyMs <= periodMs;
  const duty = Math.min(1, latencyMs / periodMs);
  const averageCurrentMa = power.activeCurrentMa * duty + (power.sleepCurrentUa / 1000) * (1 - duty);
  const averagePowerMw = averageCurrentMa * power.supplyVoltage;
  const maxRateHz = 1000 / latencyMs;
  let batt: DutyCycleResult['battery'];
  if (battery) {
    const hours = (battery.mAh * (battery.volts ?? power.supplyVoltage)) / averagePowerMw;
    batt = { ...battery, hours, days: hours / 24 };
  }
  const verdict = realTime
    ? `real-time OK: ${round(latencyMs, 2)} ms per inference fits the ${round(periodMs, 2)} ms period (${round(duty * 100, 1)}% busy, up to ${round(maxRateHz, 1)} inferences/s)`
    : `NOT real-time: ${round(latencyMs, 2)} ms per inference exceeds the ${round(periodMs, 2)} ms period; this board sustains at most ${round(maxRateHz, 2)} inferences/s`;
  return {
    rateHz, periodMs, latencyMs, duty, realTime, maxRateHz, averageCurrentMa, averagePowerMw,
    energyPerInferenceUj: activeEnergyUj(power, latencyMs * 1000),
    energyPerPeriodUj: activeEnergyUj(power, Math.min(latencyMs, periodMs) * 1000) + sleepEnergyUj(power, Math.max(0, periodMs - latencyMs) * 1000),
    battery: batt, verdict,
  };
}
