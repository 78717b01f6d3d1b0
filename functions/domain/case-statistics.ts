/**
 * Case statistics from BIAN CRM incidents, kept as counters per priority so reading them is one
 * item however many incidents exist: open, resolved (an incident is resolved when it is
 * terminated), resolved within its priority's resolution target, and the summed resolution time.
 */
export const PRIORITY_NAMES = ['low', 'medium', 'high', 'critical'] as const;

export interface IncidentState {
  open: boolean;
  priority: string;
  created: string;
  resolved?: string;
}

/** Resolution targets in hours per incident priority (Rules' `ResolutionTargets` extension). */
export type ResolutionTargets = Partial<Record<(typeof PRIORITY_NAMES)[number], number>>;

/** The counter changes one incident change makes (attribute → amount to add). */
export const statisticsDelta = (before: IncidentState | undefined, after: IncidentState, targets: ResolutionTargets | undefined): Record<string, number> => {
  const delta: Record<string, number> = {};
  const add = (name: string, amount: number) => (delta[name] = (delta[name] ?? 0) + amount);
  if (!before) {
    if (after.open) add(`open_${after.priority}`, 1);
    return delta;
  }
  if (before.open && after.open && before.priority !== after.priority) {
    add(`open_${before.priority}`, -1);
    add(`open_${after.priority}`, 1);
  }
  if (before.open && !after.open) {
    const seconds = Math.max(0, Math.round((Date.parse(after.resolved ?? new Date().toISOString()) - Date.parse(after.created)) / 1000));
    add(`open_${before.priority}`, -1);
    add(`resolved_${after.priority}`, 1);
    add(`resolutionSeconds_${after.priority}`, seconds);
    const target = targets?.[after.priority as keyof ResolutionTargets];
    if (target !== undefined && seconds <= target * 3600) add(`withinTarget_${after.priority}`, 1);
  }
  return Object.fromEntries(Object.entries(delta).filter(([, v]) => v !== 0));
};

interface Figures {
  open: number;
  resolved: number;
  resolvedWithinTarget: number;
  meanTimeToResolutionHours: number | null;
}

const figures = (open: number, resolved: number, within: number, seconds: number): Figures => ({
  open,
  resolved,
  resolvedWithinTarget: within,
  meanTimeToResolutionHours: resolved > 0 ? Math.round((seconds / resolved / 3600) * 10_000) / 10_000 : null,
});

/** The statistics as Performance records show them, from the counters item. */
export const statisticsView = (counters: Record<string, unknown> | undefined): Figures & { byPriority: Record<string, Figures> } => {
  const n = (name: string) => Number(counters?.[name] ?? 0);
  const byPriority = Object.fromEntries(
    PRIORITY_NAMES.map((p) => [p, figures(n(`open_${p}`), n(`resolved_${p}`), n(`withinTarget_${p}`), n(`resolutionSeconds_${p}`))]),
  );
  const sum = (name: string) => PRIORITY_NAMES.reduce((total, p) => total + n(`${name}_${p}`), 0);
  return { ...figures(sum('open'), sum('resolved'), sum('withinTarget'), sum('resolutionSeconds')), byPriority };
};
