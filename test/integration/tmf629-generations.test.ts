/**
 * One customer through TMF629 v3 (R18), v4 and v5.0.1: every answer validated against its own
 * generation's official file, what one generation cannot express kept when another writes.
 */
import { describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as v4Create from '../../functions/tmf629/create-customer.ts';
import * as v4Retrieve from '../../functions/tmf629/retrieve-customer.ts';
import * as v4Replace from '../../functions/tmf629/replace-customer.ts';
import * as v4Patch from '../../functions/tmf629/patch-customer.ts';
import * as v3Create from '../../functions/tmf629/v3/create-customer.ts';
import * as v3Retrieve from '../../functions/tmf629/v3/retrieve-customer.ts';
import * as v3Replace from '../../functions/tmf629/v3/replace-customer.ts';
import * as v3Patch from '../../functions/tmf629/v3/patch-customer.ts';
import * as v3List from '../../functions/tmf629/v3/list-customer.ts';
import * as v3Delete from '../../functions/tmf629/v3/delete-customer.ts';
import * as v5Create from '../../functions/tmf629/v5/create-customer.ts';
import * as v5Retrieve from '../../functions/tmf629/v5/retrieve-customer.ts';
import * as v5Patch from '../../functions/tmf629/v5/patch-customer.ts';
import * as v5List from '../../functions/tmf629/v5/list-customer.ts';
import * as v5Register from '../../functions/tmf629/v5/register-listener.ts';
import * as v5RetrieveListener from '../../functions/tmf629/v5/retrieve-listener.ts';
import * as v5Unregister from '../../functions/tmf629/v5/unregister-listener.ts';
import * as crmCreate from '../../functions/crm/create-customer.ts';
import * as crmRetrieve from '../../functions/crm/get-customer.ts';
import { tmf629, tmf629v3, tmf629v5 } from '../../functions/tmf629/operations.ts';
import { notificationOf } from '../../functions/tmf629/notify-listeners.ts';
import { GENERATIONS } from '../../functions/domain/tmf629/generations.ts';
import { crm } from '../../functions/crm/operations.ts';
import { db, tableName } from '../../functions/storage/table/db.ts';
import { keys } from '../../functions/storage/table/keys.ts';
import { call, uniqueTenant } from '../../lib/local/direct-call.ts';
import { tmfCustomerProperties, tmfSchemaErrorsOf } from '../support/tmf-schema.ts';
import { eventSchemaErrors } from '../support/event-schema.ts';

type Generation = 'v3' | 'v4' | 'v5';

const expectValid = (generation: Generation, customer: unknown) => {
  expect(tmfSchemaErrorsOf(generation, 'Customer', customer), `${generation} ${JSON.stringify(customer)}`).toEqual([]);
  expect(Object.keys(customer as object).filter((k) => !tmfCustomerProperties(generation).includes(k))).toEqual([]);
};

/** The customer read through all three generations, each answer checked against its own file. */
const readAll = async (tenant: string, id: string) => {
  const [v3, v4, v5] = await Promise.all([
    call(v3Retrieve.handler, tmf629v3.retrieveCustomer, { tenant, params: { id } }),
    call(v4Retrieve.handler, tmf629.retrieveCustomer, { tenant, params: { id } }),
    call(v5Retrieve.handler, tmf629v5.retrieveCustomer, { tenant, params: { id } }),
  ]);
  for (const [generation, answer] of [
    ['v3', v3],
    ['v4', v4],
    ['v5', v5],
  ] as const) {
    expect(answer.status, generation).toBe(200);
    expectValid(generation, answer.body);
  }
  return { v3: v3.body, v4: v4.body, v5: v5.body };
};

const events = async (tenant: string, id: string) =>
  (
    (
      await db.send(
        new QueryCommand({ TableName: tableName(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.customer(tenant, id).pk } }),
      )
    ).Items ?? []
  ).filter((i) => i.entity === 'EVENT');

const v3Full = {
  name: 'Lune Telecom',
  status: 'Approved',
  type: { name: 'Reseller', partnershipId: 'p-1' },
  engagedParty: { id: 'org-7', href: 'https://parties.example/org-7', name: 'Lune SA', description: 'the legal entity' },
  contactMedium: [{ type: 'Email', preferred: true, characteristic: { emailAddress: 'hello@lune.example', type: 'work' } }],
  characteristic: [{ name: 'segment', value: 'gold' }],
  account: [{ id: 'acc-1', href: 'https://accounts.example/acc-1', name: 'Main' }],
  relatedParty: [{ id: 'u-1', href: 'https://parties.example/u-1', name: 'Ann', role: 'accountManager', '@referredType': 'Individual' }],
};

const v5Full = {
  '@type': 'Customer',
  name: 'Soleil Bank',
  description: 'private banking client',
  role: 'premium',
  status: 'Approved',
  engagedParty: { '@type': 'PartyRef', id: 'ind-9', name: 'Marie Soleil', '@referredType': 'Individual' },
  partyRoleSpecification: { '@type': 'PartyRoleSpecificationRef', id: 'spec-1', name: 'Premium customer' },
  contactMedium: [
    { '@type': 'EmailContactMedium', contactType: 'personal', preferred: true, emailAddress: 'marie@soleil.example' },
    { '@type': 'PhoneContactMedium', phoneNumber: '+33 1 23 45 67 89' },
    { '@type': 'GeographicAddressContactMedium', contactType: 'billing', street1: '1 rue du Soleil', city: 'Paris', postCode: '75001', country: 'FR' },
  ],
  characteristic: [
    { '@type': 'IntegerCharacteristic', name: 'riskClass', value: 2 },
    { '@type': 'StringCharacteristic', name: 'segment', value: 'wealth' },
  ],
  account: [{ '@type': 'AccountRef', id: 'acc-9', name: 'Current account' }],
  creditProfile: [
    { '@type': 'CreditProfile', creditProfileDate: '2026-01-01T00:00:00Z', creditScore: 700, validFor: { startDateTime: '2026-01-01T00:00:00Z' } },
  ],
  relatedParty: [
    {
      '@type': 'RelatedPartyOrPartyRole',
      role: 'advisor',
      partyOrPartyRole: { '@type': 'PartyRef', id: 'adv-1', name: 'Paul', '@referredType': 'Individual' },
    },
  ],
};

describe('TMF629 v3 (R18) against its official file', () => {
  it('creates with only a name: 201, Location = request URL + / + id, valid in all three generations (v4 and v5 see the customer as its own party)', async () => {
    const tenant = uniqueTenant();
    const created = await call(v3Create.handler, tmf629v3.createCustomer, { tenant, body: { name: 'Only a name' } });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`https://api.test/tmf-api/customerManagement/v3/customer/${created.body.id}`);
    expect(created.body.href).toBe(created.headers.location);
    expectValid('v3', created.body);
    expect(created.body.engagedParty).toBeUndefined();
    const views = await readAll(tenant, created.body.id);
    expect(views.v3).toEqual(created.body);
    expect(views.v4.engagedParty).toEqual({ id: created.body.id, '@referredType': 'Party' });
    expect(views.v5.engagedParty).toEqual({ id: created.body.id, '@referredType': 'Party', '@type': 'PartyRef' });
  });

  it('maps its own words: type, contact medium type, characteristic type; v4 and v5 read them in theirs', async () => {
    const tenant = uniqueTenant();
    const created = await call(v3Create.handler, tmf629v3.createCustomer, { tenant, body: v3Full });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject(v3Full);
    const views = await readAll(tenant, created.body.id);
    expect(views.v4.contactMedium).toEqual([
      { mediumType: 'Email', preferred: true, characteristic: { emailAddress: 'hello@lune.example', contactType: 'work' } },
    ]);
    expect(views.v4).not.toHaveProperty('type');
    expect(views.v4.engagedParty).toMatchObject({ id: 'org-7', '@referredType': 'Party' });
    expect(views.v5.contactMedium).toEqual([{ '@type': 'EmailContactMedium', preferred: true, contactType: 'work', emailAddress: 'hello@lune.example' }]);
    expect(views.v5.characteristic).toEqual([{ '@type': 'StringCharacteristic', name: 'segment', value: 'gold' }]);
    expect(views.v5.relatedParty).toEqual([
      {
        '@type': 'RelatedPartyOrPartyRole',
        role: 'accountManager',
        partyOrPartyRole: { '@type': 'PartyRef', id: 'u-1', href: 'https://parties.example/u-1', name: 'Ann', '@referredType': 'Individual' },
      },
    ]);
  });

  it('PUT replaces what v3 shows (absent attributes cleared) and keeps what it does not: v5’s role, the CRM’s fields, items it cannot hold', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, { tenant, body: { ...v5Full, account: [{ '@type': 'AccountRef', id: 'acc-x' }] } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const before = await readAll(tenant, id);
    // v3 cannot hold the account (R18's AccountRef needs href and name) nor the engaged party (PartyRef needs href).
    expect(before.v3.account).toBeUndefined();
    expect(before.v3.engagedParty).toBeUndefined();
    const replaced = await call(v3Replace.handler, tmf629v3.replaceCustomer, {
      tenant,
      params: { id },
      headers: { 'if-match': created.headers.etag! },
      body: { ...before.v3, status: 'Suspended', contactMedium: undefined, characteristic: before.v3.characteristic },
    });
    expect(replaced.status).toBe(200);
    expectValid('v3', replaced.body);
    expect(replaced.body.status).toBe('Suspended');
    expect(replaced.body.contactMedium).toBeUndefined();
    const after = await readAll(tenant, id);
    expect(after.v5).toMatchObject({ role: 'premium', description: 'private banking client', partyRoleSpecification: v5Full.partyRoleSpecification });
    expect(after.v5.account).toEqual([{ '@type': 'AccountRef', id: 'acc-x' }]);
    expect(after.v5.engagedParty).toEqual(before.v5.engagedParty);
    // The characteristics went back as v3 showed them (the integer as text): unchanged, so still the integer.
    expect(after.v5.characteristic).toEqual(before.v5.characteristic);
    expect(after.v4.contactMedium).toBeUndefined();
    const kinds = (await events(tenant, id)).map((e) => e.detailType);
    expect(kinds).toEqual(['CustomerCreateEvent', 'CustomerAttributeValueChangeEvent', 'CustomerStateChangeEvent']);
  });

  it('a v4 characteristic’s number shows as text in v3 and survives a v3 full update that sends it back unchanged; a changed one is stored as text', async () => {
    const tenant = uniqueTenant();
    const created = await call(v4Create.handler, tmf629.createCustomer, {
      tenant,
      body: {
        name: 'Numbers',
        engagedParty: { id: 'p', '@referredType': 'Organization' },
        characteristic: [
          { name: 'lines', value: 42 },
          { name: 'tier', value: 1 },
        ],
      },
    });
    const id = created.body.id;
    const { v3 } = await readAll(tenant, id);
    expect(v3.characteristic).toEqual([
      { name: 'lines', value: '42' },
      { name: 'tier', value: '1' },
    ]);
    const put = await call(v3Replace.handler, tmf629v3.replaceCustomer, {
      tenant,
      params: { id },
      body: { ...v3, characteristic: [v3.characteristic[0], { name: 'tier', value: '2' }] },
    });
    expect(put.status).toBe(200);
    const { v4 } = await readAll(tenant, id);
    expect(v4.characteristic).toEqual([
      { name: 'lines', value: 42 },
      { name: 'tier', value: '2' },
    ]);
    // The engaged party v3 could not show (no href) is still the one v4 gave.
    expect(v4.engagedParty).toEqual({ id: 'p', '@referredType': 'Organization' });
  });

  it('refuses what R18 refuses (400 naming the problem) and a body id other than the path’s', async () => {
    const tenant = uniqueTenant();
    for (const [body, message] of [
      [{}, /name/],
      [{ name: 'X', engagedParty: { id: 'p' } }, /engagedParty.href/],
      [{ name: 'X', characteristic: [{ name: 'n', value: 3 }] }, /characteristic\[0\].value/],
      [{ name: 'X', contactMedium: [{ mediumType: 'Email', characteristic: {} }] }, /contactMedium\[0\].type/],
      [{ name: 'X', socialNetwork: 'y' }, /unknown field 'socialNetwork'/],
    ] as const) {
      const answer = await call(v3Create.handler, tmf629v3.createCustomer, { tenant, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(message);
    }
    const created = await call(v3Create.handler, tmf629v3.createCustomer, { tenant, body: { name: 'Y' } });
    const wrongId = await call(v3Replace.handler, tmf629v3.replaceCustomer, { tenant, params: { id: created.body.id }, body: { id: 'other', name: 'Y' } });
    expect(wrongId.status).toBe(400);
    expect((await call(v3List.handler, tmf629v3.listCustomer, { tenant })).body).toHaveLength(1);
  });

  it('lists with fields, offset and limit, patches and deletes', async () => {
    const tenant = uniqueTenant();
    for (const name of ['A', 'B', 'C']) await call(v3Create.handler, tmf629v3.createCustomer, { tenant, body: { name, type: { name: 'Retail' } } });
    const page = await call(v3List.handler, tmf629v3.listCustomer, { tenant, query: { fields: 'name,type', offset: '1', limit: '1' } });
    expect(page.status).toBe(200);
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.body).toHaveLength(1);
    // v3 answers exactly the attributes asked for (R18's TC_Cust_N4).
    expect(page.body).toEqual([{ name: 'B', type: { name: 'Retail' } }]);
    for (const item of page.body) expect(tmfSchemaErrorsOf('v3', 'Customer', item)).toEqual([]);
    const id = (await call(v3List.handler, tmf629v3.listCustomer, { tenant, query: { name: 'B', fields: 'id' } })).body[0].id;
    const patched = await call(v3Patch.handler, tmf629v3.patchCustomer, {
      tenant,
      params: { id },
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { type: null, statusReason: 'moved' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.type).toBeUndefined();
    expect(patched.body.statusReason).toBe('moved');
    const deleted = await call(v3Delete.handler, tmf629v3.deleteCustomer, { tenant, params: { id } });
    expect(deleted.status).toBe(204);
    expect((await call(v3Retrieve.handler, tmf629v3.retrieveCustomer, { tenant, params: { id } })).status).toBe(404);
  });
});

describe('TMF629 v5.0.1 against its official file', () => {
  it('creates a full customer: @type on every sub-resource, valid in v5 and in v3 and v4 as they show it; the CRM reads its e-mail, phone and billing address', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, { tenant, body: v5Full });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe(`https://api.test/tmf-api/customer/v5/customer/${created.body.id}`);
    expectValid('v5', created.body);
    expect(created.body).toMatchObject(v5Full);
    const views = await readAll(tenant, created.body.id);
    expect(views.v5).toEqual(created.body);
    expect(views.v4.contactMedium).toEqual([
      {
        mediumType: 'Email',
        preferred: true,
        '@type': 'EmailContactMedium',
        characteristic: { contactType: 'personal', emailAddress: 'marie@soleil.example' },
      },
      { mediumType: 'Phone', '@type': 'PhoneContactMedium', characteristic: { phoneNumber: '+33 1 23 45 67 89' } },
      {
        mediumType: 'MailingAddress',
        '@type': 'GeographicAddressContactMedium',
        characteristic: { contactType: 'billing', street1: '1 rue du Soleil', city: 'Paris', postCode: '75001', country: 'FR' },
      },
    ]);
    expect(views.v4.relatedParty).toEqual([{ id: 'adv-1', name: 'Paul', '@referredType': 'Individual', role: 'advisor' }]);
    expect(views.v4).not.toHaveProperty('role');
    expect(views.v3.characteristic).toEqual([
      { '@type': 'IntegerCharacteristic', name: 'riskClass', value: '2' },
      { '@type': 'StringCharacteristic', name: 'segment', value: 'wealth' },
    ]);
    const crmView = await call(crmRetrieve.handler, crm.getCrmCustomer, { tenant, params: { id: created.body.id } });
    expect(crmView.body).toMatchObject({
      type: 'PERSON',
      email: 'marie@soleil.example',
      phone: '+33 1 23 45 67 89',
      billingAddress: { street: '1 rue du Soleil', city: 'Paris', postalCode: '75001', country: 'FR' },
    });
  });

  it('shows a CRM-created customer with v5’s types, valid against the file', async () => {
    const tenant = uniqueTenant();
    const created = await call(crmCreate.handler, crm.createCrmCustomer, {
      tenant,
      body: { name: 'Acme', type: 'ORGANIZATION', email: 'ops@acme.example', phone: '+1 555 0100', billingAddress: { street: 'Main St', city: 'Springfield' } },
    });
    expect(created.status).toBe(201);
    const { v5 } = await readAll(tenant, created.body.id);
    expect(v5.contactMedium.map((m: { '@type': string }) => m['@type']).sort()).toEqual([
      'EmailContactMedium',
      'GeographicAddressContactMedium',
      'PhoneContactMedium',
    ]);
  });

  it('requires what Customer_FVO requires (@type, name, engagedParty), and @type on every sub-resource', async () => {
    const tenant = uniqueTenant();
    const { '@type': _type, ...untyped } = v5Full;
    for (const [body, message] of [
      [untyped, /@type/],
      [{ ...v5Full, engagedParty: undefined }, /engagedParty/],
      [{ ...v5Full, contactMedium: [{ emailAddress: 'a@b.example' }] }, /contactMedium\[0\].@type/],
      [{ ...v5Full, contactMedium: [{ '@type': 'PigeonContactMedium' }] }, /contactMedium\[0\].@type/],
      [{ ...v5Full, account: [{ id: 'a' }] }, /account\[0\].@type/],
    ] as const) {
      const answer = await call(v5Create.handler, tmf629v5.createCustomer, { tenant, body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.message).toMatch(message);
      expect(tmfSchemaErrorsOf('v5', 'Error', answer.body)).toEqual([]);
    }
  });

  it('honours fields on POST and PATCH, and patches with merge patch and JSON Patch on what v5 shows', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, { tenant, body: v5Full, query: { fields: 'name,role' } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['@type', 'href', 'id', 'name', 'role']);
    const id = created.body.id;
    const merged = await call(v5Patch.handler, tmf629v5.patchCustomer, {
      tenant,
      params: { id },
      query: { fields: 'description' },
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { description: 'moved to retail', role: null },
    });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ '@type': 'Customer', id, href: `https://api.test/tmf-api/customer/v5/customer/${id}`, description: 'moved to retail' });
    const jsonPatched = await call(v5Patch.handler, tmf629v5.patchCustomer, {
      tenant,
      params: { id },
      headers: { 'content-type': 'application/json-patch+json' },
      body: [{ op: 'replace', path: '/contactMedium/0/emailAddress', value: 'new@soleil.example' }],
    });
    expect(jsonPatched.status).toBe(200);
    expectValid('v5', jsonPatched.body);
    expect(jsonPatched.body.contactMedium[0]).toEqual({
      '@type': 'EmailContactMedium',
      contactType: 'personal',
      preferred: true,
      emailAddress: 'new@soleil.example',
    });
    expect(jsonPatched.body.role).toBeUndefined();
    const views = await readAll(tenant, id);
    expect(views.v4.contactMedium[0].characteristic.emailAddress).toBe('new@soleil.example');
    const refused = await call(v5Patch.handler, tmf629v5.patchCustomer, {
      tenant,
      params: { id },
      headers: { 'content-type': 'application/merge-patch+json' },
      body: { engagedParty: null },
    });
    expect(refused.status).toBe(400);
  });

  it('items v4 cannot hold (an account without a name) are not shown in v4 and survive a v4 full update', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, {
      tenant,
      body: { ...v5Full, account: [{ '@type': 'AccountRef', id: 'nameless' }] },
    });
    const id = created.body.id;
    const { v4 } = await readAll(tenant, id);
    expect(v4.account).toBeUndefined();
    const put = await call(v4Replace.handler, tmf629.replaceCustomer, {
      tenant,
      params: { id },
      body: { ...v4, account: [{ name: 'Savings' }], relatedParty: [] },
    });
    expect(put.status).toBe(200);
    const after = await readAll(tenant, id);
    expect(after.v5.account).toEqual([{ '@type': 'AccountRef', id: 'nameless' }]);
    expect(after.v4.account).toEqual([{ name: 'Savings' }]);
    expect(after.v5.relatedParty).toEqual([]);
    expect(after.v5.role).toBe('premium');
  });

  it('a v4 merge patch that changes nothing v4 shows writes nothing', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, { tenant, body: v5Full });
    const same = await call(v4Patch.handler, tmf629.patchCustomer, { tenant, params: { id: created.body.id }, body: { name: v5Full.name } });
    expect(same.status).toBe(200);
    expect(same.headers.etag).toBe('"1"');
  });

  it('lists with X-Total-Count and X-Result-Count, each item valid', async () => {
    const tenant = uniqueTenant();
    await call(v5Create.handler, tmf629v5.createCustomer, { tenant, body: v5Full });
    await call(v3Create.handler, tmf629v3.createCustomer, { tenant, body: { name: 'From v3' } });
    const page = await call(v5List.handler, tmf629v5.listCustomer, { tenant });
    expect(page.headers['x-total-count']).toBe('2');
    expect(page.headers['x-result-count']).toBe('2');
    for (const item of page.body) expectValid('v5', item);
  });

  it('registers, retrieves and deletes a v5 hub: @type required, Hub answered with @type and href', async () => {
    const tenant = uniqueTenant();
    const missingType = await call(v5Register.handler, tmf629v5.registerListener, { tenant, body: { callback: 'https://listener.example/tmf' } });
    expect(missingType.status).toBe(400);
    const hub = await call(v5Register.handler, tmf629v5.registerListener, {
      tenant,
      body: { '@type': 'Hub', callback: 'https://listener.example/tmf', query: 'eventType=CustomerCreateEvent' },
    });
    expect(hub.status).toBe(201);
    expect(tmfSchemaErrorsOf('v5', 'Hub', hub.body)).toEqual([]);
    expect(hub.body).toMatchObject({ '@type': 'Hub', callback: 'https://listener.example/tmf', query: 'eventType=CustomerCreateEvent' });
    expect(hub.body.href).toBe(`https://api.test/tmf-api/customer/v5/hub/${hub.body.id}`);
    expect(hub.headers.location).toBe(hub.body.href);
    const read = await call(v5RetrieveListener.handler, tmf629v5.retrieveListener, { tenant, params: { id: hub.body.id } });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(hub.body);
    expect((await call(v5Unregister.handler, tmf629v5.unregisterListener, { tenant, params: { id: hub.body.id } })).status).toBe(204);
    expect((await call(v5RetrieveListener.handler, tmf629v5.retrieveListener, { tenant, params: { id: hub.body.id } })).status).toBe(404);
  });
});

describe('TMF events in each generation’s format, from one stored event', () => {
  it('renders a v5-created customer’s events for v3, v4 and v5 listeners, each valid against its file, with nothing lost on the way', async () => {
    const tenant = uniqueTenant();
    const created = await call(v5Create.handler, tmf629v5.createCustomer, {
      tenant,
      body: { ...v5Full, account: [{ '@type': 'AccountRef', id: 'nameless' }] },
    });
    const [stored] = await events(tenant, created.body.id);
    expect(eventSchemaErrors('rapport.tmf629', 'CustomerCreateEvent', stored?.detail)).toEqual([]);
    expect(stored?.detail.data.notInV4).toMatchObject({
      role: 'premium',
      description: 'private banking client',
      account: [{ '@type': 'AccountRef', id: 'nameless' }],
    });
    const views = await readAll(tenant, created.body.id);

    const v4Note = notificationOf(stored!.detail, GENERATIONS.v4);
    expect(tmfSchemaErrorsOf('v4', 'CustomerCreateEvent', v4Note)).toEqual([]);
    expect(v4Note.event).toEqual({ customer: views.v4 });

    const v5Note = notificationOf(stored!.detail, GENERATIONS.v5);
    expect(tmfSchemaErrorsOf('v5', 'CustomerCreateEvent', v5Note)).toEqual([]);
    expect(v5Note).toMatchObject({ '@type': 'CustomerCreateEvent', eventType: 'CustomerCreateEvent', eventId: stored!.detail.eventId });
    expect(v5Note.event).toEqual({ customer: views.v5 });

    const v3Note = notificationOf(stored!.detail, GENERATIONS.v3);
    expect((v3Note.event as { customer: unknown }).customer).toEqual(views.v3);
  });
});
