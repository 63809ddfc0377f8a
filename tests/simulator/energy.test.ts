import { describe, expect, it } from 'vitest';
import { activeEnergyUj, dutyCycle, parseBattery } from '../../simulator/energy.ts';

const power = { supplyVoltage: 3, activeCurrentMa: 10, sleepCurrentUa: 5, sleepMode: 'stop' };

describe('energy and battery', () => {
  it('turns active power x time into µJ', () => {
    // 3 V x 10 mA = 30 mW; for 100 ms: 3 mJ.
    expect(activeEnergyUj(power, 100_000)).toBe(3000);
  });

  it('averages active and sleep current over the period and turns it into battery days', () => {
    // 100 ms every 1 s: 10% at 10 mA + 90% at 5 µA = 1.0045 mA; 1000 mAh / 1.0045 mA = 995.5 h.
    const d = dutyCycle(100, power, 1, { mAh: 1000 });
    expect(d.duty).toBeCloseTo(0.1, 12);
    expect(d.averageCurrentMa).toBeCloseTo(1.0045, 12);
    expect(d.battery!.hours).toBeCloseTo(1000 / 1.0045, 9);
    expect(d.battery!.days).toBeCloseTo(1000 / 1.0045 / 24, 9);
    expect(d.realTime).toBe(true);
    // One period: 100 ms at 10 mA (3,000 µJ) + 900 ms asleep at 5 µA (3 V × 5 µA × 0.9 s = 13.5 µJ).
    expect(d.energyPerPeriodUj).toBeCloseTo(3000 + 13.5, 9);
    expect(d.energyPerInferenceUj).toBe(3000);
    expect(d.verdict).toMatch(/^real-time OK: 100 ms per inference fits the 1000 ms period \(10% busy, up to 10 inferences\/s\)$/);
  });

  it('converts through the battery voltage when it differs from the supply', () => {
    // A 3.7 V cell holds 3.7/3 more energy than the same mAh at the 3 V supply.
    const at3 = dutyCycle(100, power, 1, { mAh: 500 });
    const at37 = dutyCycle(100, power, 1, { mAh: 500, volts: 3.7 });
    expect(at37.battery!.hours / at3.battery!.hours).toBeCloseTo(3.7 / 3, 12);
  });

  it('says clearly when inference is slower than the period', () => {
    const d = dutyCycle(250, power, 5);
    expect(d.realTime).toBe(false);
    expect(d.duty).toBe(1);
    expect(d.averageCurrentMa).toBe(10);
    expect(d.verdict).toBe('NOT real-time: 250 ms per inference exceeds the 200 ms period; this board sustains at most 4 inferences/s');
  });

  it('parses --battery mAh[@V] and rejects anything else with the expected form', () => {
    expect(parseBattery('1000')).toEqual({ mAh: 1000 });
    expect(parseBattery('220@3.0')).toEqual({ mAh: 220, volts: 3 });
    expect(parseBattery('2500mAh@3.7V')).toEqual({ mAh: 2500, volts: 3.7 });
    for (const bad of ['', 'lots', '-5', '0', '100@', '100@0', '100@-3']) {
      expect(() => parseBattery(bad), bad).toThrow(/is not <mAh>\[@<volts>\], for example --battery 1000/);
    }
  });
});
