/**
 * The pieces both Export menus are made of (the board's and the
 * comparison's): the progress line while the server makes a file, the
 * "Export ▾" button, one menu item for a file the server makes, and the
 * state of making one (what is being made, what failed).
 */
import { useState } from 'react';
import { downloadFrom } from './download';
import { MenuItemButton } from './MenuItemButton';

export interface MadeItem {
  format: string;
  label: string;
  hint: string;
  /** The progress line while it is made: "Making the PDF report…". */
  making: string;
}

/** Fetches an item from the server and saves it under the server's name; remembers a failure in words. */
export function useMaking() {
  const [making, setMaking] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const make = async (item: MadeItem, url: string, fallbackName: string) => {
    setFailure(null);
    setMaking(item.making);
    try {
      await downloadFrom(url, fallbackName);
    } catch (error) {
      setFailure(`${item.label} was not made: ${(error as Error).message}.`);
    } finally {
      setMaking(null);
    }
  };
  return { making, failure, dismissFailure: () => setFailure(null), make };
}

export function ExportProgress({ text, testId }: { text: string | null; testId: string }) {
  if (!text) return null;
  return (
    <span className="export-progress" role="status" data-testid={testId}>
      <span className="export-spinner" aria-hidden="true" />
      {text}
    </span>
  );
}

export function ExportMenuButton({ open, toggle, testId }: { open: boolean; toggle: () => void; testId: string }) {
  return (
    <button
      type="button"
      className="button subtle tool-button"
      data-testid={testId}
      aria-haspopup="menu"
      aria-expanded={open}
      onClick={toggle}
    >
      Export ▾
    </button>
  );
}

export function MadeItemButton({
  item,
  disabled,
  testId,
  onChoose,
}: {
  item: MadeItem;
  disabled: boolean;
  testId: string;
  onChoose: () => void;
}) {
  return (
    <MenuItemButton title={item.hint} data-testid={testId} disabled={disabled} onClick={onChoose}>
      {item.label}
    </MenuItemButton>
  );
}
