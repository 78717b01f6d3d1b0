import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { eventSchemaFiles } from '../../lib/event-schemas.ts';
import { newEvent } from '../../functions/domain/event-envelope.ts';

const root = join(import.meta.dirname, '..', '..');

describe('event JSON Schemas', () => {
  it.each(eventSchemaFiles().map((f) => [f.path, f.content]))(
    '%s is checked in and matches the zod definition (run `npm run event-schemas` after changing an event)',
    (path, content) => {
      expect(readFileSync(join(root, path), 'utf8')).toBe(content);
    },
  );

  it('accepts a real envelope and rejects one missing its tenant', () => {
    const ajv = new Ajv2020({ strict: false });
    (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
    const schema = JSON.parse(eventSchemaFiles().find((f) => f.path.endsWith('CustomerCreateEvent.json'))!.content);
    const validate = ajv.compile(schema);
    const event = newEvent({
      source: 'rapport.tmf629',
      eventType: 'CustomerCreateEvent',
      tenantId: 't',
      subject: { type: 'Customer', id: 'c' },
      sequence: 1,
      actor: 'u',
      correlationId: 'r',
      data: { customer: { id: 'c', href: 'https://x/c', name: 'Moon', engagedParty: { id: '1', '@referredType': 'Organization' } } },
    });
    expect(validate(event.envelope), JSON.stringify(validate.errors)).toBe(true);
    const { tenantId: _dropped, ...withoutTenant } = event.envelope;
    expect(validate(withoutTenant)).toBe(false);
  });
});
