/**
 * BIAN control-record lifecycle (README, BIAN Customer Relationship Management v12): `active ⇄ suspended → terminated`,
 * terminated is final. While suspended only Control and Retrieve are allowed; once terminated only
 * Retrieve. Incidents also carry a priority moved one step at a time along low → medium → high → critical.
 */
export type LifecycleStatus = 'active' | 'suspended' | 'terminated';
export type BianAction = 'Create' | 'Update' | 'Control' | 'Exchange' | 'Request' | 'Grant' | 'Capture' | 'Retrieve';

export const LIFECYCLE_CONTROLS = ['suspend', 'resume', 'terminate'] as const;
export const PRIORITY_CONTROLS = ['raisePriority', 'lowerPriority'] as const;
export type ControlAction = (typeof LIFECYCLE_CONTROLS)[number] | (typeof PRIORITY_CONTROLS)[number];
export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Why an action may not run on a record in this status, or undefined when it may. */
export const refusal = (status: LifecycleStatus, action: BianAction, what: string): string | undefined => {
  if (action === 'Retrieve') return undefined;
  if (status === 'terminated') return `${what} is terminated; it can only be retrieved.`;
  if (status === 'suspended' && action !== 'Control') return `${what} is suspended; only Control (resume or terminate) and Retrieve are allowed.`;
  return undefined;
};

export type ControlOutcome = { ok: true; status: LifecycleStatus; priority?: Priority } | { ok: false; reason: string };

export const applyControl = (current: { status: LifecycleStatus; priority?: Priority }, action: ControlAction, what: string): ControlOutcome => {
  switch (action) {
    case 'suspend':
      return current.status === 'active'
        ? { ok: true, status: 'suspended' }
        : { ok: false, reason: `${what} is ${current.status}; only an active record can be suspended.` };
    case 'resume':
      return current.status === 'suspended'
        ? { ok: true, status: 'active' }
        : { ok: false, reason: `${what} is ${current.status}; only a suspended record can be resumed.` };
    case 'terminate':
      return current.status === 'terminated' ? { ok: false, reason: `${what} is already terminated.` } : { ok: true, status: 'terminated' };
    case 'raisePriority':
    case 'lowerPriority': {
      if (current.status !== 'active') return { ok: false, reason: `${what} is ${current.status}; its priority can change only while active.` };
      const index = PRIORITIES.indexOf(current.priority ?? 'medium') + (action === 'raisePriority' ? 1 : -1);
      const priority = PRIORITIES[index];
      return priority ? { ok: true, status: current.status, priority } : { ok: false, reason: `${what} is already at ${current.priority} priority.` };
    }
  }
};

/** Exchange decisions, kept as the record's exchange status; a decided record cannot be decided again. */
export const EXCHANGE_OUTCOMES: Record<string, string> = { accept: 'accepted', verify: 'verified', reject: 'rejected', confirm: 'confirmed' };
