import { toJSONSchema } from 'zod';
import { eventTypes } from '../functions/event-catalog.ts';

/** Each event type's JSON Schema, with its source and detail-type. */
export const eventSchemas = (): { source: string; detailType: string; schema: Record<string, unknown> }[] =>
  eventTypes.map((type) => ({
    source: type.source,
    detailType: type.detailType,
    schema: {
      ...(toJSONSchema(type.detail, { io: 'output' }) as object),
      $id: `https://rapport.dev/schemas/events/${type.source}/${type.detailType}.json`,
      title: `${type.source} ${type.detailType}`,
      description: `${type.description} EventBridge detail of source '${type.source}', detail-type '${type.detailType}'.`,
    },
  }));

/** File path (under the project root) and content of each event type's JSON Schema. */
export const eventSchemaFiles = (): { path: string; content: string }[] =>
  eventSchemas().map(({ source, detailType, schema }) => ({
    path: `schemas/events/${source}/${detailType}.json`,
    content: `${JSON.stringify(schema, null, 2)}\n`,
  }));
