/**
 * Framework contract life cycle: draft → active → suspended ⇄ active → ended (ended from any
 * non-ended state). Every change is recorded with who and when; an illegal command is refused.
 */
export const CONTRACT_STATUSES = ['draft', 'active', 'suspended', 'ended'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const CONTRACT_COMMANDS = ['activate', 'suspend', 'resume', 'end'] as const;
export type ContractCommand = (typeof CONTRACT_COMMANDS)[number];

const TRANSITIONS: Record<ContractCommand, { from: readonly ContractStatus[]; to: ContractStatus }> = {
  activate: { from: ['draft'], to: 'active' },
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  end: { from: ['draft', 'active', 'suspended'], to: 'ended' },
};

export const CONTRACT_STATUS_ZH: Record<ContractStatus, string> = { draft: '草稿', active: '执行中', suspended: '已暂停', ended: '已终止' };

export type TransitionResult = { ok: true; to: ContractStatus } | { ok: false; code: 'ILLEGAL_TRANSITION'; reasonZh: string };

export function contractTransition(from: ContractStatus, command: ContractCommand): TransitionResult {
  const t = TRANSITIONS[command];
  if (!t.from.includes(from)) {
    return { ok: false, code: 'ILLEGAL_TRANSITION', reasonZh: `合同处于“${CONTRACT_STATUS_ZH[from]}”状态，不能执行该操作` };
  }
  return { ok: true, to: t.to };
}

/** Only an active contract generates call-offs. */
export function generatesCallOffs(status: ContractStatus): boolean {
  return status === 'active';
}

/** Two validity periods (inclusive local dates) overlap. */
export function periodsOverlap(a: { validFrom: string; validUntil: string }, b: { validFrom: string; validUntil: string }): boolean {
  return a.validFrom <= b.validUntil && b.validFrom <= a.validUntil;
}
