import { randomUUID } from 'node:crypto';
import { ErrorCode } from './errors';

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: a new member first gets its id with MEMBER_ID_REQUIRED, then joins with it. */
  requireKnownMemberId: boolean;
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

interface Member {
  id: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  lastHeartbeat: number;
  pendingJoin?: (r: JoinResult) => void;
  pendingSync?: (r: { errorCode: number; assignment: Buffer }) => void;
}

type State = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

/** One consumer group, as Kafka's group coordinator runs it (eager rebalance protocol). */
export class Group {
  state: State = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leader = '';
  readonly members = new Map<string, Member>();
  private rebalanceTimer?: NodeJS.Timeout;

  constructor(readonly id: string, private readonly initialRebalanceDelayMs: number, private readonly log: (msg: string) => void) {}

  join(req: JoinRequest, respond: (r: JoinResult) => void): void {
    const fail = (errorCode: number, memberId = req.memberId) =>
      respond({ errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] });
    if (this.members.size && req.protocolType !== this.protocolType) return fail(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    let member: Member | undefined;
    let existing = false;
    if (!req.memberId) {
      const id = `${req.clientId || 'member'}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        this.pendingIds.add(id);
        return fail(ErrorCode.MEMBER_ID_REQUIRED, id);
      }
      member = this.addMember(id, req);
    } else {
      member = this.members.get(req.memberId);
      existing = !!member;
      if (!member && this.pendingIds.delete(req.memberId)) member = this.addMember(req.memberId, req);
      if (!member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    }
    const metadata = (ps: { name: string; metadata: Buffer }[]) => JSON.stringify(ps.map((p) => [p.name, p.metadata.toString('base64')]));
    const unchanged = existing && metadata(member.protocols) === metadata(req.protocols);
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.lastHeartbeat = Date.now();
    this.protocolType = req.protocolType;
    if (this.state === 'Stable' && unchanged && member.id !== this.leader) {
      // A follower re-joining with the same metadata while stable gets the current generation (as Kafka).
      return respond(this.joinResult(member.id));
    }
    member.pendingJoin?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId: member.id, members: [] });
    member.pendingJoin = respond;
    this.prepareRebalance(existing ? `member ${member.id} re-joined` : `member ${member.id} joined`);
    this.maybeCompleteJoin();
  }

  private readonly pendingIds = new Set<string>();
  private initialDelay = false;

  private addMember(id: string, req: JoinRequest): Member {
    const member: Member = {
      id,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: [],
      assignment: Buffer.alloc(0),
      lastHeartbeat: Date.now(),
    };
    this.members.set(id, member);
    return member;
  }

  private prepareRebalance(reason: string): void {
    if (this.state === 'PreparingRebalance') return;
    const wasEmpty = this.state === 'Empty';
    // Members waiting for their assignment must re-join.
    for (const m of this.members.values()) {
      m.pendingSync?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      m.pendingSync = undefined;
    }
    this.state = 'PreparingRebalance';
    this.log(`group ${this.id}: rebalancing (${reason})`);
    this.initialDelay = wasEmpty;
    const timeout = wasEmpty ? this.initialRebalanceDelayMs : Math.max(...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = setTimeout(() => this.completeJoin(true), timeout);
  }

  private maybeCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    // From empty, wait out the initial delay so that members starting together land in one generation.
    if (this.initialDelay) return;
    if ([...this.members.values()].every((m) => m.pendingJoin)) this.completeJoin(false);
  }

  private completeJoin(timedOut: boolean): void {
    if (this.state !== 'PreparingRebalance') return;
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = undefined;
    this.initialDelay = false;
    if (timedOut) {
      for (const m of [...this.members.values()]) {
        if (!m.pendingJoin) {
          this.log(`group ${this.id}: member ${m.id} did not re-join in time; removed`);
          this.members.delete(m.id);
        }
      }
    }
    if (!this.members.size) {
      this.state = 'Empty';
      this.generationId++;
      return;
    }
    const members = [...this.members.values()];
    // The protocol every member supports, in the order of the first member's preference.
    const candidates = members[0].protocols.map((p) => p.name).filter((name) => members.every((m) => m.protocols.some((p) => p.name === name)));
    if (!candidates.length) {
      for (const m of members) {
        m.pendingJoin?.({ errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, generationId: -1, protocolName: '', leader: '', memberId: m.id, members: [] });
        this.members.delete(m.id);
      }
      this.state = 'Empty';
      return;
    }
    this.protocolName = candidates[0];
    this.generationId++;
    if (!this.members.has(this.leader)) this.leader = members[0].id;
    this.state = 'CompletingRebalance';
    this.log(`group ${this.id}: generation ${this.generationId} with ${members.length} member(s), protocol ${this.protocolName}`);
    for (const m of members) {
      m.lastHeartbeat = Date.now();
      const respond = m.pendingJoin;
      m.pendingJoin = undefined;
      respond?.(this.joinResult(m.id));
    }
  }

  private joinResult(memberId: string): JoinResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolName: this.protocolName,
      leader: this.leader,
      memberId,
      members:
        memberId === this.leader
          ? [...this.members.values()].map((m) => ({
              memberId: m.id,
              groupInstanceId: m.groupInstanceId,
              metadata: m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0),
            }))
          : [],
    };
  }

  sync(
    memberId: string,
    generationId: number,
    assignments: { memberId: string; assignment: Buffer }[],
    respond: (r: { errorCode: number; assignment: Buffer }) => void,
  ): void {
    const member = this.members.get(memberId);
    if (!member) return respond({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    if (generationId !== this.generationId) return respond({ errorCode: ErrorCode.ILLEGAL_GENERATION, assignment: Buffer.alloc(0) });
    if (this.state === 'PreparingRebalance') return respond({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    member.lastHeartbeat = Date.now();
    if (this.state === 'Stable') return respond({ errorCode: ErrorCode.NONE, assignment: member.assignment });
    member.pendingSync = respond;
    if (memberId === this.leader) {
      for (const m of this.members.values()) m.assignment = Buffer.alloc(0);
      for (const a of assignments) {
        const target = this.members.get(a.memberId);
        if (target) target.assignment = a.assignment;
      }
      this.state = 'Stable';
      for (const m of this.members.values()) {
        const r = m.pendingSync;
        m.pendingSync = undefined;
        r?.({ errorCode: ErrorCode.NONE, assignment: m.assignment });
      }
    }
  }

  heartbeat(memberId: string, generationId: number): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    member.lastHeartbeat = Date.now();
    if (generationId !== this.generationId) return ErrorCode.ILLEGAL_GENERATION;
    if (this.state === 'PreparingRebalance' || this.state === 'CompletingRebalance') return ErrorCode.REBALANCE_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
    this.remove(member, 'left the group');
    return ErrorCode.NONE;
  }

  private remove(member: Member, why: string): void {
    this.members.delete(member.id);
    member.pendingJoin?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, generationId: -1, protocolName: '', leader: '', memberId: member.id, members: [] });
    member.pendingSync?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    this.log(`group ${this.id}: member ${member.id} ${why}`);
    if (!this.members.size) {
      clearTimeout(this.rebalanceTimer);
      this.rebalanceTimer = undefined;
      this.state = 'Empty';
      this.generationId++;
      return;
    }
    if (this.state === 'PreparingRebalance') this.maybeCompleteJoin();
    else this.prepareRebalance(`member ${member.id} ${why}`);
  }

  /** Removes members whose session expired (no heartbeat, join or sync within their session timeout). */
  expireSessions(now: number): void {
    for (const m of [...this.members.values()]) {
      if (m.pendingJoin || m.pendingSync) continue; // waiting in a join or sync counts as alive (bounded by the rebalance)
      if (now - m.lastHeartbeat > m.sessionTimeoutMs) this.remove(m, `missed its session timeout (${m.sessionTimeoutMs} ms)`);
    }
  }

  describe() {
    return {
      state: this.state,
      protocolType: this.protocolType,
      protocolName: this.state === 'Stable' ? this.protocolName : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.id,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0),
        assignment: m.assignment,
      })),
    };
  }

  close(): void {
    clearTimeout(this.rebalanceTimer);
  }
}
