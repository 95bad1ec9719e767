import { CONTRACT_COMMANDS, CONTRACT_STATUSES, contractTransition, generatesCallOffs, periodsOverlap } from './contract-state';

describe('contract state machine', () => {
  it('draft → active → suspended → active → ended', () => {
    expect(contractTransition('draft', 'activate')).toEqual({ ok: true, to: 'active' });
    expect(contractTransition('active', 'suspend')).toEqual({ ok: true, to: 'suspended' });
    expect(contractTransition('suspended', 'resume')).toEqual({ ok: true, to: 'active' });
    expect(contractTransition('suspended', 'end')).toEqual({ ok: true, to: 'ended' });
  });
  it('refuses every other command with a Chinese reason; an ended contract is final', () => {
    const legal = new Set(['draft:activate', 'active:suspend', 'suspended:resume', 'draft:end', 'active:end', 'suspended:end']);
    for (const s of CONTRACT_STATUSES)
      for (const c of CONTRACT_COMMANDS) {
        const r = contractTransition(s, c);
        expect(r.ok).toBe(legal.has(`${s}:${c}`));
        if (!r.ok) expect((r as { reasonZh: string }).reasonZh).toMatch(/不能执行/);
      }
    expect(generatesCallOffs('active')).toBe(true);
    expect(generatesCallOffs('suspended')).toBe(false);
  });
  it('validity overlap is inclusive', () => {
    expect(periodsOverlap({ validFrom: '2026-01-01', validUntil: '2026-06-30' }, { validFrom: '2026-06-30', validUntil: '2026-12-31' })).toBe(true);
    expect(periodsOverlap({ validFrom: '2026-01-01', validUntil: '2026-06-29' }, { validFrom: '2026-06-30', validUntil: '2026-12-31' })).toBe(false);
  });
});
