/**
 * An opportunity's sales stages: NEW → QUALIFIED → PROPOSAL → NEGOTIATION → WON | LOST. A stage may
 * step back one stage (a proposal reworked), any open stage may be LOST, and WON and LOST are final.
 */
export const OPPORTUNITY_STATUSES = ['NEW', 'QUALIFIED', 'PROPOSAL', 'NEGOTIATION', 'WON', 'LOST'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

export const OPPORTUNITY_TRANSITIONS: Record<OpportunityStatus, readonly OpportunityStatus[]> = {
  NEW: ['QUALIFIED', 'LOST'],
  QUALIFIED: ['NEW', 'PROPOSAL', 'LOST'],
  PROPOSAL: ['QUALIFIED', 'NEGOTIATION', 'WON', 'LOST'],
  NEGOTIATION: ['PROPOSAL', 'WON', 'LOST'],
  WON: [],
  LOST: [],
};
