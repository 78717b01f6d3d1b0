/**
 * What a function instance keeps of a read between invocations: one value per key, kept for
 * `ttlMs` (read when asked, so a setting can change it) and at most `maxUses` times, at most
 * `maxEntries` keys (the oldest go first). Concurrent asks for a key share one read; a failed read
 * is not kept. The webhook dispatcher and worker keep a tenant's webhooks, the TMF hub notifier its
 * registrations, and secrets' envelope encryption its data keys this way.
 */
export interface InstanceCache<V> {
  get(key: string, now?: number): Promise<V>;
  /** Forgets a key (the instance itself changed what it holds). */
  forget(key: string): void;
}

export const instanceCache = <V>(
  load: (key: string) => Promise<V>,
  { ttlMs, maxUses = Number.POSITIVE_INFINITY, maxEntries = 10_000 }: { ttlMs: () => number; maxUses?: number; maxEntries?: number },
): InstanceCache<V> => {
  const kept = new Map<string, { at: number; uses: number; value: Promise<V> }>();
  return {
    get(key, now = Date.now()) {
      const hit = kept.get(key);
      if (hit && now - hit.at < ttlMs() && hit.uses < maxUses) {
        hit.uses++;
        return hit.value;
      }
      const value = load(key);
      const entry = { at: now, uses: 1, value };
      kept.delete(key);
      kept.set(key, entry);
      value.catch(() => {
        if (kept.get(key) === entry) kept.delete(key);
      });
      if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
      return value;
    },
    forget(key) {
      kept.delete(key);
    },
  };
};
