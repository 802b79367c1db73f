import type { AnchorHTMLAttributes, KeyboardEvent, MouseEvent } from 'react';
import { navigate } from './router';

/**
 * An ordinary link that navigates in place; modified clicks (new tab…) keep the browser's behaviour.
 * Space follows it as Enter does: links here look and act like buttons (many are menu items).
 */
export function Link({
  href,
  onClick,
  onKeyDown,
  ...rest
}: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handleKeyDown = (event: KeyboardEvent<HTMLAnchorElement>) => {
    onKeyDown?.(event);
    if (event.defaultPrevented || event.key !== ' ' || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    event.currentTarget.click();
  };
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handleClick} onKeyDown={handleKeyDown} {...rest} />;
}
