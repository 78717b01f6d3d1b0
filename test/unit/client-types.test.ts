import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_EVENTS_PATH, CLIENT_TYPES_PATH, clientEvents, clientTypes } from '../../lib/client-types.ts';
import { eventTypes } from '../../functions/event-catalog.ts';

describe('the client’s generated types', () => {
  it('are what openapi-typescript makes of the OpenAPI document today (run `npm run client-types` after changing an operation)', async () => {
    const checkedIn = readFileSync(join(import.meta.dirname, '..', '..', CLIENT_TYPES_PATH), 'utf8');
    const generated = await clientTypes();
    expect(checkedIn === generated, 'clients/typescript/src/schema.ts drifted from the OpenAPI document: run `npm run client-types`').toBe(true);
    // They name every path of the catalog.
    for (const path of ['/api/v1/crm/customers', '/api/v1/imports/{id}/results', '/api/v1/events', '/tmf-api/customerManagement/v4/customer/{id}'])
      expect(generated).toContain(`"${path}": {`);
  });

  it('type every published event from its JSON Schema (run `npm run client-types` after changing an event)', async () => {
    const checkedIn = readFileSync(join(import.meta.dirname, '..', '..', CLIENT_EVENTS_PATH), 'utf8');
    const generated = await clientEvents();
    expect(checkedIn === generated, 'clients/typescript/src/events.ts drifted from the event schemas: run `npm run client-types`').toBe(true);
    for (const type of eventTypes) expect(generated, type.detailType).toContain(`eventType: ${JSON.stringify(type.detailType)};`);
  }, 60_000);
});
