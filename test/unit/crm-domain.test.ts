import { describe, expect, it } from 'vitest';
import { checkTransition, CRM_STATUS_TRANSITIONS, CRM_STATUSES } from '../../functions/domain/crm-status.ts';
import { OPPORTUNITY_TRANSITIONS } from '../../functions/domain/opportunity-status.ts';
import { applyProfileToTmf, profileFromTmf } from '../../functions/domain/customer-mapping.ts';

describe('CRM status transitions', () => {
  it('allows the table’s moves, treats the same status as unchanged, and names the targets otherwise', () => {
    expect(checkTransition(CRM_STATUS_TRANSITIONS, 'LEAD', 'PROSPECT')).toEqual({ ok: true, changed: true });
    expect(checkTransition(CRM_STATUS_TRANSITIONS, 'CUSTOMER', 'CUSTOMER')).toEqual({ ok: true, changed: false });
    expect(checkTransition(CRM_STATUS_TRANSITIONS, 'CHURNED', 'ACTIVE')).toEqual({ ok: false, allowed: ['LEAD'] });
    expect(checkTransition(CRM_STATUS_TRANSITIONS, 'ACTIVE', 'LEAD')).toEqual({ ok: false, allowed: ['CUSTOMER', 'INACTIVE', 'CHURNED'] });
  });
  it('leaves no status a dead end except by design, and every target is a status', () => {
    for (const status of CRM_STATUSES) {
      expect(CRM_STATUS_TRANSITIONS[status].length).toBeGreaterThan(0);
      for (const target of CRM_STATUS_TRANSITIONS[status]) expect(CRM_STATUSES).toContain(target);
    }
    expect(OPPORTUNITY_TRANSITIONS.WON).toEqual([]);
    expect(checkTransition(OPPORTUNITY_TRANSITIONS, 'PROPOSAL', 'WON')).toEqual({ ok: true, changed: true });
  });
});

describe('customer mapping between the CRM and TMF629 views', () => {
  const party = { id: 'p1', '@referredType': 'Organization' };
  it('writes the CRM profile into engagedParty and contactMedium and reads it back unchanged', () => {
    const profile = {
      type: 'PERSON' as const,
      email: 'a@b.nl',
      phone: '+31 1',
      billingAddress: { street: 'Dam', houseNumber: '1', postalCode: '1012', city: 'Amsterdam', country: 'NL', latitude: 52.37, longitude: 4.89, id: 'a1' },
      deliveryAddresses: [
        { street: 'Kade', city: 'Utrecht' },
        { street: 'Plein', city: 'Delft' },
      ],
    };
    const tmf = applyProfileToTmf({ engagedParty: party }, profile);
    expect(tmf.engagedParty['@referredType']).toBe('Individual');
    expect(tmf.contactMedium?.map((m) => m.mediumType)).toEqual(['Email', 'Phone', 'MailingAddress', 'MailingAddress', 'MailingAddress']);
    expect(profileFromTmf(tmf.engagedParty, tmf.contactMedium)).toEqual(profile);
  });
  it('keeps media it does not know, replaces only what is given, and removes on null', () => {
    const social = { mediumType: 'SocialMedia', characteristic: { socialNetworkId: '@acme' } };
    const start = applyProfileToTmf({ engagedParty: party, contactMedium: [social] }, { email: 'x@y.z', phone: '1' });
    const next = applyProfileToTmf(start, { email: null });
    expect(next.contactMedium).toEqual([social, { mediumType: 'Phone', preferred: true, characteristic: { phoneNumber: '1' } }]);
    expect(profileFromTmf(next.engagedParty, next.contactMedium)).toEqual({ type: 'ORGANIZATION', phone: '1' });
  });
  it('prefers the preferred medium when TMF holds several', () => {
    const media = [
      { mediumType: 'email', characteristic: { emailAddress: 'old@x.nl' } },
      { mediumType: 'Email', preferred: true, characteristic: { emailAddress: 'main@x.nl' } },
    ];
    expect(profileFromTmf(party, media).email).toBe('main@x.nl');
  });
});
