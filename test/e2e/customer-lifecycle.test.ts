import { describe, expect, it } from 'vitest';
import { http, TMF, TMF_V5, token } from '../support/http.ts';

const CRM = '/api/v1/crm/customers';
const BIAN_CRM = '/CustomerRelationshipManagement';

/** A customer's life over HTTP through the local runtime: every route, the real gateway and handlers. */
describe('a customer’s life over HTTP', () => {
  it('deletes, restores, finds duplicates, merges (301 at the merged id), unmerges, exports and erases (with its linked BIAN plan)', async () => {
    const auth = token({ tenant: `life-${Date.now()}` });
    const create = async (name: string, email: string) => {
      const created = await http('POST', CRM, { token: auth, body: { name, type: 'PERSON', email } });
      expect(created.status).toBe(201);
      return created.body.id as string;
    };
    const anna = await create('Anna de Vries', 'anna@vries.example');
    const twin = await create('anna de vries', 'ANNA@vries.example');

    expect((await http('DELETE', `${CRM}/${twin}`, { token: auth })).status).toBe(204);
    expect((await http('GET', `${TMF}/customer/${twin}`, { token: auth })).status).toBe(404);
    expect((await http('POST', `${CRM}/${twin}/restore`, { token: auth })).status).toBe(200);
    expect((await http('GET', `${TMF_V5}/customer/${twin}`, { token: auth })).status).toBe(200);

    const duplicates = await http('GET', `${CRM}/${anna}/duplicates`, { token: auth });
    expect(duplicates.body).toEqual([expect.objectContaining({ customer: expect.objectContaining({ id: twin }), reasons: ['email', 'name'] })]);

    const merged = await http('POST', `${CRM}/${anna}/merge`, { token: auth, body: { duplicateIds: [twin] } });
    expect(merged.status).toBe(200);
    const pointer = await http('GET', `${CRM}/${twin}`, { token: auth, redirect: 'manual' });
    expect(pointer.status).toBe(301);
    expect(pointer.headers.get('location')).toMatch(new RegExp(`${CRM}/${anna}$`));
    expect((await http('POST', `${CRM}/${anna}/unmerge`, { token: auth, body: { duplicateId: twin } })).status).toBe(200);
    expect((await http('GET', `${CRM}/${twin}`, { token: auth })).status).toBe(200);

    const exported = await http('GET', `${CRM}/${anna}/export`, { token: auth });
    expect(exported.status).toBe(200);
    expect(exported.body.customer.crm).toMatchObject({ id: anna, email: 'anna@vries.example' });
    expect(exported.body.events.map((e: { eventType: string }) => e.eventType)).toContain('CustomerCreated');

    // A BIAN relationship plan for Anna, with a contact record: erased with her.
    const plan = await http('POST', `${BIAN_CRM}/Create`, {
      token: auth,
      body: { CustomerReference: { PartyReference: { PartyIdentification: { PartyIdentification: { IdentifierValue: { Value: anna } } } } } },
    });
    expect(plan.body.LinkedCustomerReference).toBe(anna);
    const planPath = `${BIAN_CRM}/${plan.body.CustomerRelationshipManagementPlanReference}`;
    const contact = await http('POST', `${planPath}/Contact/Create`, { token: auth, body: { CustomerRelationshipContactType: { Text: 'Lunch with Anna' } } });
    expect(contact.status).toBe(200);

    const erased = await http('POST', `${CRM}/${anna}/erasure`, { token: auth });
    expect(erased.status).toBe(200);
    expect(erased.body).toMatchObject({ id: anna, status: 'erased' });
    expect((await http('GET', `${CRM}/${anna}`, { token: auth })).status).toBe(404);
    expect((await http('GET', `${CRM}/${anna}/export`, { token: auth })).status).toBe(404);
    expect((await http('GET', `${planPath}/Retrieve`, { token: auth })).status).toBe(404);
    expect((await http('GET', `${planPath}/Contact/${contact.body.ContactReference}/Retrieve`, { token: auth })).status).toBe(404);
  });
});
