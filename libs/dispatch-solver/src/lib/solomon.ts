import type { Problem } from './model';

export interface SolomonInstance {
  name: string;
  vehicles: number;
  capacity: number;
  nodes: { id: number; x: number; y: number; demand: number; ready: number; due: number; service: number }[];
}

/** Parses the Solomon / Gehring–Homberger text format (depot is customer 0). */
export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const vi = lines.findIndex((l) => /^VEHICLE/i.test(l));
  const ci = lines.findIndex((l) => /^CUST/i.test(l));
  if (vi < 0 || ci < 0 || !lines[vi + 2]) throw new Error('not a Solomon-format instance: VEHICLE and CUSTOMER sections expected');
  const [vehicles, capacity] = lines[vi + 2].split(/\s+/).map(Number);
  const nodes = lines
    .slice(ci + 1)
    .map((l) => l.split(/\s+/).map(Number))
    .filter((r) => r.length >= 7 && r.every(Number.isFinite))
    .map(([id, x, y, demand, ready, due, service]) => ({ id, x, y, demand, ready, due, service }));
  if (!nodes.length || nodes[0].id !== 0) throw new Error('not a Solomon-format instance: depot 0 expected first');
  if (!Number.isFinite(vehicles) || !Number.isFinite(capacity)) throw new Error('not a Solomon-format instance: bad vehicle line');
  return { name: lines[0], vehicles, capacity, nodes };
}

/**
 * The Solomon case of the general model: one depot, `fleetSize` identical vehicles with one ambient
 * compartment, planar Euclidean travel (distance = time), shift = depot window.
 */
export function solomonToProblem(inst: SolomonInstance, fleetSize = inst.vehicles): Problem {
  const [depot, ...customers] = inst.nodes;
  return {
    depots: [{ id: '0', location: { x: depot.x, y: depot.y } }],
    vehicles: Array.from({ length: fleetSize }, (_, k) => ({
      id: `v${k + 1}`,
      depotId: '0',
      compartments: [{ temperature: 'ambient' as const, capacity: inst.capacity }],
      shiftStart: depot.ready,
      shiftEnd: depot.due,
    })),
    stops: customers.map((c) => ({
      id: String(c.id),
      location: { x: c.x, y: c.y },
      demand: { ambient: c.demand },
      serviceTime: c.service,
      timeWindow: { start: c.ready, end: c.due },
    })),
    travel: { kind: 'plane' },
  };
}
