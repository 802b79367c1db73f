/** One item of a header or card menu: a button with the menu item's role and look (menus.ts). */
import type { ButtonHTMLAttributes } from 'react';
import { itemStyle } from './menus';

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type' | 'role' | 'style' | 'className'> & {
  'data-testid'?: string;
};

export function MenuItemButton(props: Props) {
  return <button type="button" role="menuitem" style={itemStyle} className="export-item" {...props} />;
}
