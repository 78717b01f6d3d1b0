import { describe, expect, it } from 'vitest';
import { applyControl, refusal, type BianAction, type ControlAction, type LifecycleStatus } from '../../functions/domain/bian-lifecycle.ts';

describe('BIAN lifecycle', () => {
  // Every control from every status: the resulting status, or refused.
  const table: [LifecycleStatus, ControlAction, LifecycleStatus | 'refused'][] = [
    ['active', 'suspend', 'suspended'],
    ['active', 'resume', 'refused'],
    ['active', 'terminate', 'terminated'],
    ['suspended', 'suspend', 'refused'],
    ['suspended', 'resume', 'active'],
    ['suspended', 'terminate', 'terminated'],
    ['terminated', 'suspend', 'refused'],
    ['terminated', 'resume', 'refused'],
    ['terminated', 'terminate', 'refused'],
  ];
  it.each(table)('%s + %s → %s', (from, action, to) => {
    const outcome = applyControl({ status: from }, action, 'Plan p');
    expect(outcome.ok ? outcome.status : 'refused').toBe(to);
  });

  it('moves priority one step along low → medium → high → critical, only while active', () => {
    expect(applyControl({ status: 'active', priority: 'low' }, 'raisePriority', 'I')).toEqual({ ok: true, status: 'active', priority: 'medium' });
    expect(applyControl({ status: 'active', priority: 'critical' }, 'raisePriority', 'I')).toMatchObject({
      ok: false,
      reason: 'I is already at critical priority.',
    });
    expect(applyControl({ status: 'active', priority: 'low' }, 'lowerPriority', 'I')).toMatchObject({ ok: false });
    expect(applyControl({ status: 'suspended', priority: 'low' }, 'raisePriority', 'I')).toMatchObject({ ok: false });
  });

  it('allows only Control and Retrieve while suspended, only Retrieve once terminated', () => {
    const actions: BianAction[] = ['Update', 'Control', 'Exchange', 'Request', 'Grant', 'Capture', 'Retrieve', 'Create'];
    const allowed = (status: LifecycleStatus) => actions.filter((a) => refusal(status, a, 'x') === undefined);
    expect(allowed('active')).toEqual(actions);
    expect(allowed('suspended')).toEqual(['Control', 'Retrieve']);
    expect(allowed('terminated')).toEqual(['Retrieve']);
  });
});
