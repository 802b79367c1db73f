/**
 * The one loading state for code loaded on demand (the comparison, the
 * version view, the board's dialogs…): a line in words, announced politely,
 * so a slow network shows something is coming rather than an empty screen.
 */
import { lazy, type ComponentType } from 'react';

export function Loading({ what, className }: { what: string; className?: string }) {
  return (
    <p className={className ? `loading-note ${className}` : 'loading-note'} role="status" data-testid="loading">
      <span className="loading-spinner" aria-hidden="true" />
      Loading {what}…
    </p>
  );
}

/**
 * React.lazy for a named export: `lazyComponent(() => import('./X').then((m) => m.X))`.
 * The modules keep their named exports (one name across the code base) while
 * the bundler puts them in a chunk of their own.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}
