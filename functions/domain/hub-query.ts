/**
 * The `query` of a TMF hub registration: `eventType=A` or `eventType=A,B` (several clauses joined
 * with `&`). An empty query matches every event.
 */
export class HubQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HubQueryError';
  }
}

export const parseHubQuery = (query: string | undefined, knownTypes: readonly string[]): { eventTypes?: string[] } => {
  if (query === undefined || query.trim() === '') return {};
  const eventTypes: string[] = [];
  for (const clause of query
    .split('&')
    .map((c) => c.trim())
    .filter(Boolean)) {
    const [name, value] = clause.split('=', 2).map((s) => s.trim());
    if (name !== 'eventType' || !value) throw new HubQueryError(`unsupported query clause '${clause}' (use eventType=<type>[,<type>])`);
    for (const type of value.split(',').map((t) => t.trim())) {
      if (!knownTypes.includes(type)) throw new HubQueryError(`unknown eventType '${type}' (one of ${knownTypes.join(', ')})`);
      eventTypes.push(type);
    }
  }
  return { eventTypes };
};

export const hubQueryMatches = (parsed: { eventTypes?: string[] }, eventType: string): boolean =>
  parsed.eventTypes === undefined || parsed.eventTypes.includes(eventType);
